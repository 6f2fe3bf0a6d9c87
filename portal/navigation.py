"""Extra navigation entries that features register, shown by role."""

from dataclasses import dataclass

from flask import Flask, current_app, url_for


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy_gettext string
    roles: tuple[str, ...]


def register_nav(app: Flask, endpoint: str, label, roles: tuple[str, ...]) -> None:
    """A feature adds a link to the top navigation for the given roles."""
    app.extensions.setdefault("rdfund.nav", []).append(NavItem(endpoint, label, roles))


def nav_extra(user) -> list[dict]:
    items = current_app.extensions.get("rdfund.nav", [])
    return [{"url": url_for(i.endpoint), "label": i.label}
            for i in items if user.is_authenticated and user.has_role(*i.roles)]
