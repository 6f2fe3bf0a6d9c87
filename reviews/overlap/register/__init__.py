"""The national S&T task register, imported from CSV for the overlap screening."""
