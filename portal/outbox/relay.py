"""Work promised by a transaction: written to the outbox with it, relayed to huey after it.

    outbox.later("account_mail", kind, to, locale, context)   # inside edge.run/transaction

A row goes to the queue right after the commit; if the queue is down the attempt is
recorded and `relay_due` (the `relay-outbox` command, the consumer's periodic task) tries
again with a growing wait (funds.outbox.rules). The queue carries only the row's id; the
worker claims the row (one worker at a time, never after it is done), runs the named
handler with the stored arguments and marks it done, so a row relayed twice sends nothing
twice.
"""

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import click
from flask import g, has_request_context
from flask.cli import with_appcontext
from huey import crontab

from funds.clock import utcnow
from funds.outbox import queries, services
from portal import db, edge
from portal.ops import logs
from portal.tasks import _state, huey

log = logging.getLogger(__name__)
HANDLERS: dict[str, Callable[..., Any]] = {}


def handler(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function as the work behind task `name` (run in an app and request context)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        HANDLERS[name] = fn
        return fn

    return register


def later(task: str, *args: Any) -> int:
    """Inside the edge's transaction: write the task to the outbox; it is relayed once the
    transaction commits, and forgotten with it if it rolls back."""
    if task not in HANDLERS:
        raise KeyError(f"no outbox handler named {task!r}")
    origin = logs.request_id()
    message = services.add(
        db.session(), task=task, args=encode(args), request_id="" if origin == "-" else origin
    )
    edge.after_commit(relay, [message.id])
    return message.id


def later_relay(message_id: int) -> None:
    """Inside the edge's transaction: relay an existing row once it commits (a replay)."""
    edge.after_commit(relay, [message_id])


def encode(args: tuple | list) -> str:
    """Arguments as stored: JSON, an instant as {"$instant": iso} (it comes back aware)."""
    return json.dumps(list(args), default=_instant, ensure_ascii=False)


def decode(text: str) -> list:
    """The stored arguments, instants restored."""
    return json.loads(text, object_hook=_from_instant)


def _instant(value: Any) -> dict:
    if isinstance(value, datetime):
        return {"$instant": value.isoformat()}
    raise TypeError(f"{type(value).__name__} cannot be stored in the outbox")


def _from_instant(obj: dict) -> Any:
    return datetime.fromisoformat(obj["$instant"]) if set(obj) == {"$instant"} else obj


def relay(ids: list[int]) -> tuple[int, int]:
    """Hand each row to the queue; a refusal is recorded for a later attempt, never raised
    (the work is committed). The row is marked sent first, so a worker's outcome is never
    overwritten; should this process die before handing it over, the lease runs out and the
    next relay hands it over. Returns (handed over, refused)."""
    handed = refused = 0
    for message_id in ids:
        with edge.transaction() as s:
            if not services.mark_sent(s, message_id=message_id, now=utcnow()):
                continue  # done, dead, or a worker has it
        try:
            run_outbox(message_id)
        except Exception as exc:  # whatever the queue raises, the row waits for the relay
            refused += 1
            log.warning("outbox %s: the queue refused it (%s)", message_id, describe(exc))
            with edge.transaction() as s:
                services.record_failure(s, message_id=message_id, error=describe(exc), now=utcnow())
            continue
        handed += 1
    return handed, refused


def relay_due(now: datetime | None = None) -> tuple[int, int]:
    """Relay every row whose time has come (in an app context)."""
    with edge.transaction() as s:
        ids = queries.due(s, now=now or utcnow())
    return relay(ids)


@huey.task()
def run_outbox(message_id: int) -> None:
    """The queue's one task: run an outbox row (retries are the outbox's, not huey's). It
    returns nothing, so huey stores no result: the outcome is on the row."""
    app = _state["app"]
    with app.app_context(), app.test_request_context("/"):
        execute(message_id)


def execute(message_id: int) -> str:
    """Claim the row, run its handler, mark it done; a failure is recorded for a retry."""
    with edge.transaction() as s:
        message = services.claim(s, message_id=message_id, now=utcnow())
        if message is None:
            return "nothing to do"
        task, args, origin = message.task, decode(message.args), message.request_id
    if origin and has_request_context():  # the lines of this work carry its request's id
        g.request_id = origin
    try:
        HANDLERS[task](*args)
    except Exception as exc:  # recorded on the row, retried with backoff
        log.warning("outbox %s (%s) failed: %s", message_id, task, describe(exc))
        with edge.transaction() as s:
            state = services.record_failure(
                s, message_id=message_id, error=describe(exc), now=utcnow()
            )
        return f"failed ({state})"
    with edge.transaction() as s:
        services.complete(s, message_id=message_id, now=utcnow())
    return "done"


def describe(exc: BaseException) -> str:
    """The error as an administrator reads it on the dead-letter page."""
    return f"{type(exc).__name__}: {exc}"[:1000]


@huey.periodic_task(crontab(minute="*"))
def relay_periodically() -> None:
    """In `flask run-tasks`: every minute, relay what the queue missed."""
    app = _state["app"]
    with app.app_context(), app.test_request_context("/"):
        relay_due()


@click.command("relay-outbox")
@with_appcontext
def relay_command():
    """Hand every due outbox row to the task queue (after a queue outage; run from cron)."""
    from flask import current_app

    with current_app.test_request_context("/"):
        handed, refused = relay_due()
    click.echo(f"{handed} tasks handed to the queue, {refused} refused (retried later).")
    if refused:
        raise SystemExit(1)
