"""Contracts: the fund's template, numbering, documents, signatures and entry into force."""
