"""Use cases of jobs: create, claim, report progress, finish, fail, cancel.

Services flush and never commit. The worker (portal.jobs.worker) runs claims and progress in
their own short transactions so the page sees them, and the work with its finish_job in one
transaction of its own, so a job's result and its state commit together or not at all.
"""

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy import update
from sqlmodel import Session, col, select

from funds import audit
from funds.accounts.models import User
from funds.calls.models import Fund
from funds.clock import utcnow
from funds.errors import N_
from funds.jobs.errors import JobCancelled, JobNotFound
from funds.jobs.models import Job, JobState
from funds.jobs.permissions import can_cancel_job, can_view_job
from funds.jobs.rules import ERROR_LIMIT, JOB, PROGRESS_INTERVAL

T = TypeVar("T")
SideTransaction = Callable[[Callable[[Session], T]], T]


def create_job(
    session: Session, *, actor: User | None, kind: str, params: dict, fund_id: int | None = None
) -> Job:
    """A queued job; the caller enqueues its task once this is committed."""
    job = Job(
        kind=kind,
        params=json.dumps(params, ensure_ascii=False),
        created_by=actor.id if actor else None,
        fund_id=fund_id,
    )
    session.add(job)
    session.flush()
    audit.record(
        session,
        actor_id=job.created_by,
        object_type="job",
        object_id=job.id,
        action="create",
        detail=kind,
    )
    return job


def get_job_for(session: Session, *, job_id: int, actor: User) -> Job:
    """The job if this user may see it; JobNotFound otherwise (never 'forbidden')."""
    job = session.get(Job, job_id)
    if job is None or not can_view_job(job, actor, _fund(session, job)):
        raise JobNotFound()
    return job


def _fund(session: Session, job: Job) -> Fund | None:
    return session.get(Fund, job.fund_id) if job.fund_id is not None else None


def claim_job(session: Session, *, job_id: int, now: datetime | None = None) -> bool:
    """queued → running in one conditional UPDATE: of two workers only one gets True."""
    now = now or utcnow()
    claimed = session.exec(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.state) == JobState.QUEUED)
        .values(state=JobState.RUNNING, started_at=now, stage_started_at=now, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return claimed == 1


def report_progress(
    session: Session, *, job_id: int, stage: str, done: int, total: int, stage_started: datetime
) -> bool:
    """Write the progress of a running job; returns whether a cancel was asked for."""
    session.execute(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.state) == JobState.RUNNING)
        .values(
            stage=stage,
            done_units=done,
            total_units=total,
            stage_started_at=stage_started,
            heartbeat_at=utcnow(),
        )
    )
    return cancel_requested(session, job_id=job_id)


def cancel_requested(session: Session, *, job_id: int) -> bool:
    job = session.get(Job, job_id, populate_existing=True)
    return job is None or job.cancel_requested


def finish_job(
    session: Session,
    *,
    job_id: int,
    result: dict,
    stage: str = "",
    units: int = 0,
    now: datetime | None = None,
) -> None:
    """running → done with its result, in the work's own transaction; the last stage shown
    complete (`units` of `units`)."""
    _end(
        session,
        job_id,
        JobState.DONE,
        now,
        result=json.dumps(result, ensure_ascii=False),
        stage=stage,
        done_units=units,
        total_units=units,
    )


def fail_job(
    session: Session,
    *,
    job_id: int,
    error: str,
    params: dict | None = None,
    result: dict | None = None,
    now: datetime | None = None,
) -> None:
    """running → failed with a message (a msgid and its params) and what it found."""
    _end(
        session,
        job_id,
        JobState.FAILED,
        now,
        error=error[:ERROR_LIMIT],
        error_params=json.dumps(params or {}, ensure_ascii=False, default=str),
        result=json.dumps(result or {}, ensure_ascii=False, default=str),
    )


def mark_cancelled(session: Session, *, job_id: int, now: datetime | None = None) -> None:
    """running → cancelled once the work stopped and rolled back what it did."""
    _end(session, job_id, JobState.CANCELLED, now)


def _end(session: Session, job_id: int, state: JobState, now: datetime | None, **values) -> None:
    job = session.get(Job, job_id, populate_existing=True)
    if job is None:
        raise JobNotFound()
    JOB.check(job.state, state)
    session.execute(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.state) == JobState.RUNNING)
        .values(state=state, finished_at=now or utcnow(), **values)
    )
    session.expire(job)
    audit.record(
        session, actor_id=None, object_type="job", object_id=job_id, action=str(state), detail=""
    )


def cancel_job(session: Session, *, job_id: int, actor: User, now: datetime | None = None) -> Job:
    """A queued job is cancelled at once; a running one is asked to stop at its next check."""
    job = get_job_for(session, job_id=job_id, actor=actor)
    if not can_cancel_job(job, actor, _fund(session, job)):
        raise JobNotFound()
    JOB.check(job.state, JobState.CANCELLED)
    # The audit entry first: on PostgreSQL it waits for the audit chain's lock (held by a
    # writing job until it commits) before this transaction locks the job's row, which the
    # job's progress updates still need meanwhile.
    audit.record(
        session, actor_id=actor.id, object_type="job", object_id=job_id, action="cancel", detail=""
    )
    session.flush()
    stopped = session.exec(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.state) == JobState.QUEUED)
        .values(state=JobState.CANCELLED, cancel_requested=True, finished_at=now or utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not stopped:
        session.execute(update(Job).where(col(Job.id) == job_id).values(cancel_requested=True))
    session.refresh(job)
    return job


def fail_stalled_jobs(session: Session, *, silent_for: timedelta, now: datetime | None = None):
    """Running jobs whose worker has reported nothing for `silent_for` (it died, say) are
    marked failed; should that worker still finish, its end finds the job failed and its
    work rolls back (never done twice). Returns their ids."""
    now = now or utcnow()
    stalled = list(
        session.exec(
            select(Job.id).where(
                col(Job.state) == JobState.RUNNING, col(Job.heartbeat_at) < now - silent_for
            )
        ).all()
    )
    minutes = int(silent_for.total_seconds() // 60)
    for job_id in stalled:
        fail_job(
            session,
            job_id=job_id,
            error=N_(
                "The worker stopped reporting for %(minutes)s minutes, so this job was "
                "stopped; nothing of it was kept. Start it again."
            ),
            params={"minutes": minutes},
            now=now,
        )
    return stalled


class ProgressReport(Protocol):
    """What long work reports through (Progress in a job, NoProgress elsewhere)."""

    def stage(self, name: str, total: int = 0) -> None: ...

    def advance(self, units: int = 1) -> None: ...

    def check(self) -> None: ...


class NoProgress:
    """Progress for work run outside a job (tests, direct calls): reports nothing."""

    def stage(self, name: str, total: int = 0) -> None:
        pass

    def advance(self, units: int = 1) -> None:
        pass

    def check(self) -> None:
        pass


class Progress:
    """What the work reports through: stages, units done, cancel checks between chunks.

    `side` runs a function in its own short committed transaction (the worker gives one);
    writes are spaced by PROGRESS_INTERVAL; `check()` raises JobCancelled when asked to stop.
    """

    def __init__(self, job_id: int, side: SideTransaction, clock: Callable[[], datetime] = utcnow):
        self.job_id, self.side, self.clock = job_id, side, clock
        self.stage_name, self.done, self.total = "", 0, 0
        self.stage_started = clock()
        self._written: datetime | None = None

    def stage(self, name: str, total: int = 0) -> None:
        """Start a stage (a msgid) of `total` units; written at once, then cancel checked."""
        self.stage_name, self.done, self.total = name, 0, total
        self.stage_started = self.clock()
        self._write(force=True)

    def advance(self, units: int = 1) -> None:
        """`units` more done; written when due; raises JobCancelled when asked to stop."""
        self.done = min(self.done + units, self.total) if self.total else self.done + units
        self._write(force=False)

    def check(self) -> None:
        """Between chunks: stop (JobCancelled) if someone asked to cancel."""
        if self.side(lambda s: cancel_requested(s, job_id=self.job_id)):
            raise JobCancelled()

    def _write(self, *, force: bool) -> None:
        now = self.clock()
        if not force and self._written and now - self._written < PROGRESS_INTERVAL:
            return
        self._written = now
        asked = self.side(lambda s: self._report(s))
        if asked:
            raise JobCancelled()

    def _report(self, s: Session) -> Any:
        return report_progress(
            s,
            job_id=self.job_id,
            stage=self.stage_name,
            done=self.done,
            total=self.total,
            stage_started=self.stage_started,
        )
