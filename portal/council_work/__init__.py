"""Council members' pages: their agenda, each item's rating sheet and ballot, the result."""


def register(app) -> None:
    from flask_babel import lazy_gettext as _l

    from portal.navigation import register_nav
    from reviews.councils.sheets.permissions import sits_on_councils

    register_nav(app, "council_work.mine", _l("My councils"), sits_on_councils)
