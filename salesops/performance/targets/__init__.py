"""Targets per person, team and organisation for a month, ISO week or quarter (R4, R18, R22)."""
