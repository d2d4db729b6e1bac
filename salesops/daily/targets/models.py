"""Models of R4 daily targets."""
