"""R18 the weekly review."""
