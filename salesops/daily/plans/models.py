"""Models of R7 daily plans."""
