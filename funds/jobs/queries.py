"""Read models of jobs."""

from datetime import datetime

from sqlmodel import Session, col, select

from funds.jobs.models import Job


def recent_jobs(session: Session, *, user_id: int, limit: int = 30) -> list[Job]:
    """The jobs this person started, newest first."""
    return list(
        session.exec(
            select(Job)
            .where(Job.created_by == user_id)
            .order_by(col(Job.created_at).desc(), col(Job.id).desc())
            .limit(limit)
        ).all()
    )


def queued_job_ids(session: Session) -> list[int]:
    """Jobs still waiting for a worker (to enqueue again after a queue was lost)."""
    return list(
        session.exec(select(Job.id).where(Job.state == "queued").order_by(col(Job.id))).all()
    )


def ended_job_ids(session: Session, *, before: datetime) -> list[int]:
    """Jobs that ended (done, failed, cancelled) before this instant."""
    return list(
        session.exec(
            select(Job.id)
            .where(col(Job.finished_at).is_not(None), col(Job.finished_at) < before)
            .order_by(col(Job.id))
        ).all()
    )
