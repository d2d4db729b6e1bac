"""Models of R5 problems and R6 success cases."""
