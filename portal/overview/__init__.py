"""Status and overview: the applicant's proposal timeline, the managers' dashboard of counts
by stage with what waits for them, and reminding reviewers in one action (issue #16, item 4)."""

from flask_babel import lazy_gettext as _l


def register(app) -> None:
    from portal.navigation import register_nav
    from portal.overview.display import countdown_text, step_when
    from reviews.overview.permissions import can_see_overview

    register_nav(app, "overview.dashboard", _l("Overview"), can_see_overview)
    app.jinja_env.filters["countdown"] = countdown_text
    app.jinja_env.filters["step_when"] = step_when
