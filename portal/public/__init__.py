"""Public pages (no account): calls, funded projects and their results, a fund's figures;
the open data API lives in portal/api; API tokens are managed in portal/public/tokens.py."""

from flask_babel import lazy_gettext as _l

OUTPUT_KINDS = {
    "publication": _l("Publication"),
    "patent_application": _l("Patent application"),
    "patent_grant": _l("Patent granted"),
    "licence": _l("Licence"),
    "transfer": _l("Technology transfer"),
    "spin_off": _l("Spin-off company"),
    "own_production": _l("Own production"),
    "product": _l("Product or prototype"),
    "revenue": _l("Commercialisation revenue"),
}
CALL_PHASES = {"open": _l("Open"), "closed": _l("Closed"), "upcoming": _l("Upcoming")}


def register(app) -> None:
    """Template labels, the `flask public refresh` command, the public links for visitors."""
    from funds.publication.permissions import can_manage_tokens
    from portal.navigation import register_nav
    from portal.public.cli import public_command
    from portal.submission.forms import KIND_LABELS

    app.jinja_env.globals["output_kind_label"] = lambda k: str(OUTPUT_KINDS.get(k, k))
    app.jinja_env.globals["call_phase_label"] = lambda k: str(CALL_PHASES.get(k, k))
    app.jinja_env.globals["attachment_kind_label"] = lambda k: str(KIND_LABELS.get(k, k))
    app.cli.add_command(public_command)
    register_nav(app, "publishing.fields", _l("Open data"), can_manage_tokens)
