"""ONNX Runtime inference and the FastAPI review service (arrives with the review API issue)."""
