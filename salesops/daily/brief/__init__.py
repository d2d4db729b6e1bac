"""R3 the morning brief and its meeting view."""
