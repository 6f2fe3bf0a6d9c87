"""Budget rules and portfolio compliance: dashboard, slate check, imports, reports."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def register(app: Flask) -> None:
    """Navigation entry, labels and the `import-budget` and `compliance` commands."""
    from funds.compliance.permissions import can_view_compliance
    from portal.budget.cli import compliance_command, import_budget_command
    from portal.i18n import register_labels
    from portal.navigation import register_nav

    register_nav(app, "budget.dashboard", _l("Budget compliance"), can_view_compliance)
    register_labels(
        {
            "planned": _l("Planned"),
            "committed": _l("Committed"),
            "disbursed": _l("Disbursed"),
            "state": _l("State"),
            "nonstate": _l("Non-state"),
        }
    )
    app.cli.add_command(import_budget_command)
    app.cli.add_command(compliance_command)
