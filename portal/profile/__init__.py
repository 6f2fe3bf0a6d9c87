"""The PI's profile: institution, ORCID, CV and publications, entered once."""

from flask_babel import lazy_gettext as _l


def register(app) -> None:
    from funds.profiles.permissions import can_keep_profile
    from portal.navigation import register_nav

    register_nav(app, "profile.edit", _l("My profile"), can_keep_profile)
