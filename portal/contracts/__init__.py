"""Pages of contracts: terms, documents (PDF, DOCX), signatures, templates."""
