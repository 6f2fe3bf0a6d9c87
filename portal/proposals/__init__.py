"""Proposals: drafting, attachments, submission with receipts; the task queue is wired here."""

from flask_babel import lazy_gettext as _l


def register(app) -> None:
    from portal import tasks
    from portal.i18n import register_labels
    from portal.proposals.sections import budget_label

    tasks.init_app(app)
    app.jinja_env.globals["budget_label"] = budget_label
    register_labels({"current": _l("Current"), "superseded": _l("Superseded")})
