"""Two-stage calls on the web: the stage on a proposal's page, and starting the full proposal."""


def register(app) -> None:
    """The `proposal_stage` filter: a proposal's stage in words (funds.proposals.rules)."""
    from flask_babel import gettext

    from funds.proposals.rules import STAGE_LABELS

    app.jinja_env.filters["proposal_stage"] = lambda stage: gettext(STAGE_LABELS[stage])
