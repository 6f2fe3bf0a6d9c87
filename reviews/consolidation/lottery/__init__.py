"""Partial randomisation at the funding line: a committed seed, a draw anyone can replay."""
