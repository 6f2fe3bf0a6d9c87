"""Second factors (TOTP with recovery codes) and re-authentication before sensitive actions."""
