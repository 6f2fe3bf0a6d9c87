"""A fund's public statistics and Resolution 57 indicators."""
