"""Personal data: the privacy notice, and each person's rights (export, correction, consent,
deletion); administrators answer requests received by post."""

import os

from flask_babel import lazy_gettext as _l

# Open points of the notice are settings (docs/privacy.md); empty means the generic text.
SETTINGS = {
    "PRIVACY_CONTROLLER": "RDFUND_PRIVACY_CONTROLLER",  # the fund's legal name and address
    "PRIVACY_CONTACT": "RDFUND_PRIVACY_CONTACT",  # where requests and questions go
    "PRIVACY_RETAIN_SUBMITTED_YEARS": "RDFUND_PRIVACY_RETAIN_SUBMITTED_YEARS",
    "PRIVACY_RETAIN_CONTRACT_YEARS": "RDFUND_PRIVACY_RETAIN_CONTRACT_YEARS",
    "PRIVACY_RETAIN_CONSENT_YEARS": "RDFUND_PRIVACY_RETAIN_CONSENT_YEARS",
    "PRIVACY_RETAIN_AUDIT_YEARS": "RDFUND_PRIVACY_RETAIN_AUDIT_YEARS",
}


def register(app) -> None:
    import reviews.privacy.councils
    import reviews.privacy.rebuttal
    import reviews.privacy.services  # noqa: F401  (registers how review tables are exported and erased)
    from funds.privacy.permissions import can_exercise_rights, can_handle_privacy_requests
    from portal.models_registry import import_all_models
    from portal.navigation import register_nav

    # Every table must be known before an erasure checks that each is accounted for.
    import_all_models()

    for key, variable in SETTINGS.items():
        if key not in app.config and os.environ.get(variable):
            app.config[key] = os.environ[variable]
    register_nav(app, "privacy.mine", _l("My personal data"), can_exercise_rights)
    register_nav(app, "privacy.requests", _l("Personal-data requests"), can_handle_privacy_requests)
