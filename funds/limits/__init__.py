"""Limits per person across funds, and the fund's overlap threshold (issue #18, item 6)."""
