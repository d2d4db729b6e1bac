"""Ownership and the public pool 公海 (R15): services, API, pages and the nightly return job."""
