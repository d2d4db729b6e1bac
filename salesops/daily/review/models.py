"""Models of R18 the weekly review."""
