"""Second factors: TOTP (RFC 6238) authenticator apps with single-use recovery codes."""
