"""Duplicate and overlapping work: the managers' list of flagged pairs, each pair side by
side with its decision, the national task register's import, a fund's limits; the screening
runs after each submission through the outbox (portal.overlap.tasks)."""

from flask_babel import lazy_gettext as _l


def register(app) -> None:
    from portal.navigation import register_nav
    from portal.overlap import tasks  # noqa: F401  (registers the outbox handler)
    from reviews.overlap.permissions import can_screen_overlaps, reaches_register_from_menu

    register_nav(app, "overlap.flags", _l("Overlaps"), can_screen_overlaps)
    register_nav(app, "overlap.register", _l("National task register"), reaches_register_from_menu)
