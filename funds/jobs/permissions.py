"""Who sees and cancels a job: its creator and the managers of its fund."""

from funds.accounts.models import User
from funds.calls.models import Fund
from funds.calls.permissions import manages_fund
from funds.jobs.models import Job


def can_view_job(job: Job, user: User, fund: Fund | None) -> bool:
    """The person who started it, and the managers of the fund it works on."""
    if job.created_by is not None and job.created_by == user.id:
        return True
    return fund is not None and manages_fund(user, fund)


def can_cancel_job(job: Job, user: User, fund: Fund | None) -> bool:
    """Whoever may see it may stop it."""
    return can_view_job(job, user, fund)
