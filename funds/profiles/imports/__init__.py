"""Publications imported from files (ORCID JSON, BibTeX, RIS) into a profile (issue #18, item 7)."""
