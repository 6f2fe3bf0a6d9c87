"""Rubric."""
