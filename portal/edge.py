"""The request edge (Indico's RH.process): a view hands it one service call; the edge commits
once, shows a domain error at its form field (or as a flash) after rolling back, and releases
side effects — e-mails, tasks, removed files — only after the commit succeeded.

    done = edge.run(lambda: create_fund(db.session(), actor=current_user, ...), form=form,
                    success=_("Fund created."))
    if done:
        return redirect(url_for("calls.manage"))
    return render_template("calls/fund_form.html", form=form)  # message at its field, data kept

Side effects are registered where they arise, inside the call, with `after_commit(fn, *args)`:
a list kept per request (flask.g), run after the commit, dropped on rollback. Work for the
task queue (PDFs, every e-mail) goes through portal.outbox.relay.later instead, which writes
it as a row of the `outbox` table in this very transaction and relays it after the commit,
so a queue outage delays it but never loses it (docs/operations.md).
Commands and flows that build their answer from several results use the transaction itself:

    with edge.transaction() as s:
        seed_demo(s, now=utcnow())

Nothing else in portal/ commits (tests/unit/test_architecture.py), except the side
transactions of portal.auth.sessions.load and portal.errors._log_refusal, on purpose.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from functools import partial
from typing import Any, Generic, TypeVar

from flask import flash, g
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from funds.errors import DomainError
from portal import db

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What became of a call: committed (`ok`, with its `value`) or refused (`error`)."""

    ok: bool
    value: T | None = None
    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.ok


def run(
    call: Callable[[], T], *, form: Any = None, success: str | None = None, show: bool = True
) -> Outcome[T]:
    """Call one service and commit; flash `success` once committed. A domain error rolls
    back and is shown (at its field of `form`, else flashed) unless `show` is False, for a
    view that presents it its own way. Any other error rolls back and propagates."""
    try:
        with transaction():
            value = call()
    except DomainError as exc:
        if show:
            show_error(exc, form)
        return Outcome(False, error=exc)
    if success:
        flash(success, "success")
    return Outcome(True, value=value)


@contextmanager
def transaction() -> Iterator[Session]:
    """The block's work, committed once at its end, then the outbox released; an exception
    rolls back, drops the outbox and propagates. Transactions do not nest."""
    if g.get("edge_outbox") is not None:
        raise RuntimeError("the request edge does not nest: one transaction at a time")
    g.edge_outbox = []
    s = db.session()
    try:
        yield s
        s.commit()
    except BaseException:
        g.edge_outbox = None
        _rollback(s)
        raise
    effects, g.edge_outbox = g.edge_outbox, None
    _release(effects)


def after_commit(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
    """Run fn(*args, **kwargs) once the current transaction has committed; never if it rolls
    back. Only inside run() or transaction(), where a commit is coming."""
    outbox = g.get("edge_outbox")
    if outbox is None:
        raise RuntimeError("after_commit outside edge.run or edge.transaction would never run")
    outbox.append(partial(fn, *args, **kwargs))


def _rollback(s: Session) -> None:
    try:
        s.rollback()
    except SQLAlchemyError:  # a dead connection: the error handler discards the session
        log.warning("rollback failed", exc_info=True)


def _release(effects: list[partial]) -> None:
    """Each step once; the work is committed, so a failed e-mail is logged, not turned into
    an error page that would say nothing was saved."""
    for effect in effects:
        try:
            effect()
        except Exception:
            log.exception("after-commit step %s failed", getattr(effect.func, "__name__", "?"))


def message(exc: DomainError) -> str:
    """A domain error's message in the user's language."""
    return _(exc.message, **params_for_display(exc.params))


def show_error(exc: DomainError, form: Any = None) -> None:
    """Flash the error; attach each rule violation to the field of `form` it concerns (or
    flash it when the form has no such field)."""
    flash(message(exc), "error")
    for violation in getattr(exc, "violations", []):
        field = getattr(form, violation.field, None) if form is not None else None
        text = _(violation.message, **params_for_display(violation.params))
        if field is not None:
            field.errors = [*(field.errors or []), text]
        else:
            flash(text, "error")


def params_for_display(params: dict) -> dict:
    """Message parameters as shown: instants in Vietnam time, *_vnd amounts as money, a
    criterion by its text in the reader's language (the shipped rubric's are msgids), a
    Fraction as a share in per cent."""
    from portal.i18n import format_instant, format_money, format_percent
    from portal.reviews.labels import criterion_text

    shown = {}
    for key, value in params.items():
        if isinstance(value, datetime):
            value = format_instant(value)
        elif key.endswith("_vnd") and isinstance(value, int):
            value = format_money(value)
        elif key == "criterion" and isinstance(value, str):
            value = criterion_text(value)
        elif isinstance(value, Fraction):  # a share
            value = format_percent(value, 4)
        shown[key] = value
    return shown
