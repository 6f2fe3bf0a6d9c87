"""The public calls: open and past, with their rules, documents and timeline."""
