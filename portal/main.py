"""The home page and the language switcher."""

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user

from funds.accounts.services import LOCALES, set_locale
from funds.calls.permissions import can_manage_funds
from funds.hosts.permissions import is_host_officer
from funds.proposals.permissions import can_apply
from portal import edge
from portal.redirects import safe_next_url
from reviews.pool.permissions import is_reviewer

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Send each person to the page of their main role."""
    if not current_user.is_authenticated:
        return render_template("main/index.html")
    if can_manage_funds(current_user):
        return redirect(url_for("calls.manage"))
    if is_reviewer(current_user) and not can_apply(current_user):
        return redirect(url_for("reviews.mine"))
    if is_host_officer(current_user) and not can_apply(current_user):
        return redirect(url_for("hosts.mine"))  # not "My proposals", which they may not open
    return redirect(url_for("proposals.mine"))


@bp.post("/language")
def language():
    """Switch language; remembered in the session and, when signed in, on the account."""
    lang = request.form.get("lang", "")
    if lang in LOCALES:
        session["lang"] = lang
        if current_user.is_authenticated:
            with edge.transaction() as s:
                set_locale(s, actor=current_user, locale=lang)
    return redirect(safe_next_url(request.form.get("next"), url_for("main.index")))
