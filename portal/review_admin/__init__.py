"""Review management for fund managers: rubric, assignment, ranking, funding line, letters."""

from flask_babel import lazy_gettext as _l


def register(app) -> None:
    from portal.navigation import register_nav
    from portal.review_admin.display import number_down, percent_down
    from reviews.reviewing.permissions import can_manage_reviews

    register_nav(app, "review_admin.calls", _l("Review management"), can_manage_reviews)
    app.jinja_env.filters["percent_down"] = percent_down
    app.jinja_env.filters["number_down"] = number_down
