"""Councils (hội đồng) for fund managers and councils' secretaries: forming a council, its
members and rules, meetings with attendance, conflicts and the quorum of each item."""

from flask_babel import lazy_gettext as _l


def register(app) -> None:
    from portal.councils.display import register_filters
    from portal.navigation import register_nav
    from reviews.councils.permissions import can_manage_councils

    register_nav(app, "councils.index", _l("Councils"), can_manage_councils)
    register_filters(app)
