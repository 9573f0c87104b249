"""dxday: the platform for Vietnam's National Digital Transformation Day."""

__version__ = "0.1.0"
