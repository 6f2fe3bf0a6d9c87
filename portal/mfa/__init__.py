"""Second factors (TOTP with recovery codes) and re-authentication before sensitive actions."""

from flask import Flask


def register(app: Flask) -> None:
    """The key that seals TOTP secrets, and the check that privileged sessions have a
    second factor before anything else."""
    from funds.accounts.mfa import rules, services
    from portal.mfa.flow import require_second_factor

    # MFA_SECRET_KEY lets SECRET_KEY be rotated without losing every enrolment (README).
    services.sealing_key = rules.derive_key(
        app.config.get("MFA_SECRET_KEY") or app.config["SECRET_KEY"]
    )
    app.before_request(require_second_factor)
