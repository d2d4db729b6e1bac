"""Models of R17 daily summaries."""
