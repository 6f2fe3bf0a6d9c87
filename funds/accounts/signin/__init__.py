"""Signin."""
