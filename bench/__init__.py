"""Medvirk's benchmark: a deterministic data generator (seed.py) and the load benchmark (run.py)."""
