"""Dataset building, base-model preparation, fine-tuning and ONNX export (to come)."""
