"""Funded projects in the portal."""

from flask_babel import lazy_gettext as _l


def register(app) -> None:
    from funds.projects.permissions import can_list_projects
    from portal.i18n import register_labels
    from portal.navigation import register_nav
    from portal.projects.cli import (
        import_outputs_command,
        indicators_command,
        send_reminders_command,
    )
    from portal.projects.labels import basis_in_words

    app.jinja_env.globals["basis_in_words"] = basis_in_words
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(import_outputs_command)
    app.cli.add_command(indicators_command)

    register_nav(app, "projects.index", _l("Projects"), can_list_projects)
    register_labels(
        {  # the closeout's rating and outcome (states: portal.states)
            "success": _l("Success"),
            "compliant_failure": _l("Compliant failure (no refund of used funds, no liability)"),
            "noncompliant_failure": _l(
                "Failure with a broken condition (refund and liability case)"
            ),
            "legacy_failure": _l("Failure under the earlier rules (refund by cause)"),
            # the closeout regimes (funds.projects.regimes), by contract date
            "legacy": _l("Earlier rules (contracts up to 18 Feb 2025)"),
            "res193": _l("Resolution 193/2025/QH15 (contracts from 19 Feb 2025)"),
            "law93": _l("Law 93/2025/QH15 (contracts from 1 Oct 2025)"),
            "excellent": _l("Excellent"),
            "pass": _l("Pass"),
            "fail": _l("Fail"),
        }
    )
