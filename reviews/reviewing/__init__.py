"""Reviewing."""
