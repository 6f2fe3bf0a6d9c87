"""Consent to the processing of personal data (Law 91/2025/QH15): its history and what it allows."""
