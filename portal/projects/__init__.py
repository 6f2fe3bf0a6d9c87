"""Funded projects in the portal."""

from flask_babel import lazy_gettext as _l


def register(app) -> None:
    from portal.i18n import register_labels
    from portal.navigation import register_nav
    from portal.projects.cli import import_outputs_command, send_reminders_command

    app.cli.add_command(send_reminders_command)
    app.cli.add_command(import_outputs_command)

    register_nav(app, "projects.index", _l("Projects"), ("manager", "admin", "applicant",
                                                          "reviewer"))
    register_labels({
        "active": _l("Active"), "closed": _l("Closed"), "open": _l("Open"),
        "accepted": _l("Accepted"), "returned": _l("Returned"), "held": _l("Held"),
        "released": _l("Released"), "pending": _l("Pending"), "approved": _l("Approved"),
        "refused": _l("Refused"), "success": _l("Success"),
        "compliant_failure": _l("Compliant failure (no refund of used funds, no liability)"),
        "noncompliant_failure": _l("Non-compliant failure"), "excellent": _l("Excellent"),
        "pass": _l("Pass"), "fail": _l("Fail"),
    })
