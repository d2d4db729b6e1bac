"""R19 lag alerts and the lead's talks."""
