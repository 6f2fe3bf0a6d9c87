"""Errors of jobs."""

from funds.errors import N_, DomainError


class JobCancelled(DomainError):
    """Raised inside the work when someone asked to cancel: the work's transaction rolls back."""

    code = "job_cancelled"

    def __init__(self) -> None:
        super().__init__(N_("The job was cancelled."))


class JobNotFound(DomainError):
    """No such job, or one this user may not see (the same answer, so nothing leaks)."""

    code = "not_found"

    def __init__(self) -> None:
        super().__init__(N_("No such job."))
