"""The top navigation: each link shows to whom its domain predicate allows it.

Features add their links with `register_nav(app, endpoint, label, allowed)`; the portal's own
links come first and the administrators' last, as before.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, url_for
from flask_babel import lazy_gettext as _l

from funds.accounts.models import User
from funds.accounts.permissions import can_manage_accounts, can_view_audit
from funds.calls.permissions import can_manage_funds
from funds.proposals.permissions import can_apply
from funds.taxonomy.permissions import can_manage_areas
from reviews.pool.permissions import is_reviewer


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy_gettext string
    allowed: Callable[[User], bool]


LEADING = (
    NavItem("proposals.mine", _l("My proposals"), can_apply),
    NavItem("calls.open_list", _l("Open calls"), can_apply),
    NavItem("reviews.mine", _l("My reviews"), is_reviewer),
    NavItem("calls.manage", _l("Funds and calls"), can_manage_funds),
)
PUBLIC = (
    ("public.calls", _l("Calls for proposals")),
    ("public.projects", _l("Funded projects")),
    ("public.index", _l("Open data")),
)
TRAILING = (
    NavItem("admin.users", _l("Accounts"), can_manage_accounts),
    NavItem("admin.audit", _l("Audit log"), can_view_audit),
    NavItem("admin.areas", _l("Strategic areas"), can_manage_areas),
)


def register_nav(app: Flask, endpoint: str, label, allowed: Callable[[User], bool]) -> None:
    """A feature adds a link to the top navigation for the users `allowed` admits."""
    app.extensions.setdefault("rdfund.nav", []).append(NavItem(endpoint, label, allowed))


def nav_items(user) -> list[dict]:
    """The links this user may follow, in order: the portal's, the features', the admin's."""
    if not user.is_authenticated:  # a visitor: the public pages (portal/public)
        return [{"url": url_for(e), "label": label} for e, label in PUBLIC]
    items = (*LEADING, *current_app.extensions.get("rdfund.nav", []), *TRAILING)
    return [{"url": url_for(i.endpoint), "label": i.label} for i in items if i.allowed(user)]
