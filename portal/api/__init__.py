"""The JSON API (version 1) for fund managers."""
