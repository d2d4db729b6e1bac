"""The benchmark harness (``python bench/run.py``, ``make bench``): see bench/README.md."""
