"""Dataset building, base-model preparation, fine-tuning and ONNX export (arrives with the data and model issues)."""
