"""Accounts: passwords, single-use tokens, server-side sessions and sign-in throttling."""
