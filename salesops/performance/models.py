"""Models of performance: the targets (``performance.targets``) live in their own package; Django finds
them through this module."""

from salesops.performance.targets import models as targets_models  # noqa: F401
