"""Error pages: a clear message in the user's language, never a bare 500."""

import logging

from flask import Flask, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from funds.errors import N_
from portal import db
from portal.ops.logs import request_id

log = logging.getLogger(__name__)


def _page(status: int, title: str, message: str):
    """The error page in the site's layout; if the layout itself cannot be drawn (the
    signed-in user can no longer be read after a failed transaction), a plain page."""
    try:
        return render_template(
            "errors/error.html", status=status, title=title, message=message
        ), status
    except SQLAlchemyError:
        log.warning("error page drawn without the layout on %s", request.path)
        db.discard_session()
        return (
            f'<!doctype html><html><meta charset="utf-8"><title>{status}</title>'
            f"<h1>{escape(title)}</h1><p>{escape(message)}</p>"
            f"<p>{escape(_(REFERENCE, id=request_id()))}</p></html>"
        ), status


def http_error(exc: HTTPException):
    """403, 404, 405, 413… each with its own words."""
    messages = {
        400: (_("Bad request"), _("The request could not be understood. Please try again.")),
        403: (_("Access denied"), _("You do not have permission to open this page.")),
        404: (_("Not found"), _("This page does not exist, or you cannot see it.")),
        405: (_("Not allowed"), _("This action is not available here.")),
        413: (_("Too large"), _("The file or form is larger than the portal accepts.")),
    }
    if request.path.startswith("/api/"):  # the API answers in problem JSON (RFC 9457)
        from portal.api.problems import problem

        return problem(exc.code or 500, exc.name, exc.description or exc.name)
    title, message = messages.get(exc.code or 500, (exc.name, exc.description or ""))
    if exc.code == 403:
        _log_refusal()
    return _page(exc.code or 500, title, message)


def _log_refusal() -> None:
    """Every refused access goes to the audit log (ASVS 5.0 V16.3.2), in its own transaction
    so the refused request's work is not committed with it."""
    from flask_login import current_user
    from sqlmodel import Session

    from funds import audit

    actor = getattr(current_user, "id", None) if current_user.is_authenticated else None
    try:
        with Session(db.engine()) as side:
            audit.record(
                side,
                actor_id=actor,
                object_type="access",
                object_id=0,
                action="refused",
                detail=f"{request.method} {request.path}"[:400],
            )
            side.commit()
    except DBAPIError:
        log.warning("could not log a refused access to %s", request.path)


def csrf_error(exc: CSRFError):
    """A missing or expired form token: nothing was saved; go back and submit again."""
    return _page(
        400,
        _("The form has expired"),
        _(
            "For your security the form could not be accepted (its security token "
            "was missing or expired). Nothing was saved. Go back, reload the page "
            "and submit again."
        ),
    )


def server_error(exc: Exception):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return _page(
        500,
        _("Something went wrong"),
        _(
            "The portal could not complete this request. Nothing was half-saved; "
            "please try again, and tell the fund's support desk if it persists."
        ),
    )


REFERENCE = N_("If you contact the support desk, quote this reference: %(id)s")
LOST_CONNECTION = N_(
    "The portal lost its connection to the database for a moment. Nothing "
    "was half-saved; please send again in a few seconds."
)


def _unavailable_page() -> str:
    """The 503 page when the database is still down: no layout, no user, both languages
    (choosing the language would itself read the database)."""
    parts = []
    for lang in ("vi", "en"):
        with force_locale(lang):
            parts.append(f'<p lang="{lang}">{escape(_(LOST_CONNECTION))}</p>')
            parts.append(f'<p lang="{lang}">{escape(_(REFERENCE, id=request_id()))}</p>')
    return (
        '<!doctype html><html lang="vi"><meta charset="utf-8"><title>503</title>'
        + "".join(parts)
        + "</html>"
    )


def database_error(exc: DBAPIError):
    """The database connection dropped (a restart, a failover): 503, try again shortly; the
    pool has already been renewed. Any other database error is a server error."""
    if not exc.connection_invalidated:  # the connection is fine: the session stays usable
        db.session().rollback()
        return server_error(exc)
    db.discard_session()
    log.warning("Database connection lost on %s %s", request.method, request.path)
    try:  # the page itself reads the user and their language from the database
        page, status = _page(503, _("Please try again"), _(LOST_CONNECTION))
    except DBAPIError:  # still down: a page that needs nothing
        db.discard_session()
        page, status = _unavailable_page(), 503
    return page, status, {"Retry-After": "5"}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(DBAPIError, database_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, server_error)
