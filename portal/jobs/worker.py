"""Running a job in a worker: claim it once, run its work in one transaction, record the end.

The claim and the progress are short side transactions of their own (the page sees them at
once; tests/unit/test_architecture.py lists this module among the committers for them); the
work and its finish_job commit together in the request edge's transaction, so a result is never
half-written. On cancel or failure the work is rolled back and the end recorded in another.
"""

import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from funds.accounts.models import User
from funds.errors import N_, DomainError, InvalidTransition
from funds.jobs import services as svc
from funds.jobs.errors import JobCancelled
from funds.jobs.models import Job
from portal import db, edge
from portal.jobs.runners import RUNNERS, Failed

log = logging.getLogger(__name__)
T = TypeVar("T")
# On SQLite a progress write waits at most this long (ms) for a job's own open write; a
# skipped update only delays what the page shows, and the work never waits on itself.
SQLITE_PROGRESS_WAIT_MS = 200


def side(fn: Callable[[Session], T]) -> T:
    """fn in its own short transaction, committed (claims, progress, cancel checks)."""
    with Session(db.engine(), expire_on_commit=False) as s:
        value = fn(s)
        s.commit()
        return value


def progress_side(fn: Callable[[Session], Any]) -> Any:
    """Like side, but on SQLite a write blocked by the job's own transaction is skipped."""
    if db.engine().dialect.name != "sqlite":
        return side(fn)
    with Session(db.engine(), expire_on_commit=False) as s:
        s.connection().exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_PROGRESS_WAIT_MS}")
        try:
            value = fn(s)
            s.commit()
        except OperationalError:  # locked by the job's own write: seen at the next check
            s.rollback()
            value = False
        finally:
            s.connection().exec_driver_sql("PRAGMA busy_timeout = 30000")
        return value


def run(job_id: int) -> str:
    """Claim and run one job; does nothing when another worker claimed it (never twice)."""
    if not side(lambda s: svc.claim_job(s, job_id=job_id)):
        return "not claimed"
    job = side(lambda s: s.get(Job, job_id))
    progress = svc.Progress(job_id, progress_side)
    try:
        # The request edge's transaction: the work and its end commit together, and what
        # the work sends (assignment e-mails, say) leaves only after that commit.
        with edge.transaction() as work:
            actor = work.get(User, job.created_by) if job.created_by else None
            result = RUNNERS[job.kind](work, job, actor, progress)
            units = max(progress.total, progress.done)
            svc.finish_job(
                work, job_id=job_id, result=result, stage=progress.stage_name, units=units
            )
        return "done"
    except JobCancelled:
        try:
            side(lambda s: svc.mark_cancelled(s, job_id=job_id))
        except InvalidTransition:  # marked failed as stalled meanwhile: it stays so
            return "failed"
        return "cancelled"
    except Failed as exc:
        _fail(job_id, exc.error.message, exc.error.params, exc.result)
    except DomainError as exc:
        _fail(job_id, exc.message, exc.params, {})
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, job.kind)
        _fail(
            job_id,
            N_("The job stopped on an unexpected error: %(error)s"),
            {"error": f"{type(exc).__name__}: {exc}"[:500]},
            {},
        )
    return "failed"


def _fail(job_id: int, message: str, params: dict, result: dict) -> None:
    try:
        _record_failure(job_id, message, params, result)
    except InvalidTransition:  # already ended (marked failed as stalled): nothing to record
        log.warning("job %s had already ended when its failure came", job_id)


def _record_failure(job_id: int, message: str, params: dict, result: dict) -> None:
    side(
        lambda s: svc.fail_job(
            s,
            job_id=job_id,
            error=message,
            params=json.loads(json.dumps(params, default=str)),
            result=result,
        )
    )
