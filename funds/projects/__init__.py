"""Funded projects: awards, progress, changes, outputs, closeout and portfolio indicators."""
