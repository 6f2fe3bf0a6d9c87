"""Attachments, team confirmation and receipts of proposals."""
