"""hetong: the domain kernel of the Chinese government contract review service.

Pure Python (no torch, no web framework): label schema, document reading, clause segmentation and value
normalisation. Every other package (training, serving, annotation, evaluation) builds on these.
"""

__version__ = "0.1.0"
