"""What each kind of job does, and starting one from a view or a command.

A runner takes the work's session, the job, its creator (None from a command) and the
progress reporter, calls the feature's service and returns the result the page shows: a
message (msgid and params) and a link to where the result applies.
"""

import json
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from sqlmodel import Session

from funds.accounts.models import User
from funds.compliance.importing import ImportFile
from funds.compliance.services import ImportRejected, import_budget
from funds.errors import N_, DomainError
from funds.jobs.models import Job
from funds.jobs.services import ProgressReport, create_job
from funds.submission.reports import submitted_rows
from portal.outbox.relay import handler, later
from reviews.assignment.services import assign_call, compute_call_affinities

ASSIGNMENT, BUDGET_IMPORT, SUBMISSIONS_ZIP = "assignment", "budget_import", "submissions_zip"
KIND_LABELS = {
    ASSIGNMENT: N_("Reviewer assignment"),
    BUDGET_IMPORT: N_("Budget import"),
    SUBMISSIONS_ZIP: N_("All PDFs (zip)"),
}
PROBLEMS_KEPT = 1000  # a rejected import's problems shown on its job page


class Failed(Exception):
    """A domain refusal with what the page should list (a rejected import's problems)."""

    def __init__(self, error: DomainError, result: dict):
        super().__init__(error.message)
        self.error, self.result = error, result


Runner = Callable[[Session, Job, User | None, ProgressReport], dict]


def run_assignment(work: Session, job: Job, actor: User | None, progress: ProgressReport) -> dict:
    """Affinities, then the optimal assignment of the call (reviews.assignment)."""
    assert actor is not None, "an assignment is started by a manager"
    params = json.loads(job.params)
    compute_call_affinities(work, actor=actor, call_id=params["call_id"], progress=progress)
    progress.check()
    outcome = assign_call(
        work,
        actor=actor,
        call_id=params["call_id"],
        per_proposal=params["per_proposal"],
        fairness_tolerance=params.get("fairness"),
        progress=progress,
    )
    return {
        "message": N_(
            "%(n)s assignments made. Total affinity %(total)s (optimum %(opt)s); worst-served "
            "proposal %(low)s (at the optimum %(optlow)s)."
        ),
        "params": {
            "n": outcome.created,
            "total": outcome.total_score,
            "opt": outcome.optimal_total,
            "low": outcome.min_proposal_total,
            "optlow": outcome.optimal_min_proposal_total,
        },
        "link": {"endpoint": "review_admin.call", "values": {"call_id": params["call_id"]}},
    }


def run_budget_import(work: Session, job: Job, actor: User | None, progress: ProgressReport):
    """Every file checked, then written in the work's one transaction (all or nothing)."""
    params = json.loads(job.params)
    files = [ImportFile(name=f["name"], path=Path(f["path"])) for f in params["files"]]
    try:
        counts = import_budget(work, actor=actor, files=files, progress=progress)
    except ImportRejected as exc:
        problems = [asdict(p) for p in exc.problems[:PROBLEMS_KEPT]]
        raise Failed(exc, {"problems": problems, "problem_count": len(exc.problems)}) from exc
    finally:
        if params.get("uploaded"):
            shutil.rmtree(job_dir(job.id), ignore_errors=True)
    return {
        "message": N_("Imported: %(summary)s."),
        "params": {"summary": ", ".join(f"{k} {v}" for k, v in counts.items())},
        "link": {"endpoint": "budget.dashboard", "values": {}},
    }


def run_submissions_zip(work: Session, job: Job, actor: User | None, progress: ProgressReport):
    """The PDF of every (filtered) submission of a call in one zip file, kept for its
    download; a cancelled or failed job leaves no partial file."""
    from portal.proposals.receipts import pdf_bytes

    assert actor is not None, "an export is started by a manager"
    params = json.loads(job.params)
    rows = submitted_rows(work, actor=actor, call_id=params["call_id"], **params["filters"])
    found = [r.submission for r in rows if r.submission is not None]
    progress.stage(N_("Rendering the PDFs"), len(found))
    path = job_dir(job.id) / f"call-{params['call_id']}-proposals.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            force_locale(actor.locale or "vi"),
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            for submission in found:
                progress.check()
                archive.writestr(f"{submission.receipt_no}.pdf", pdf_bytes(current_app, submission))
                progress.advance()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return {
        "message": N_("%(n)s PDFs in one zip file."),
        "params": {"n": len(found)},
        "link": {"endpoint": "jobs.download", "values": {"job_id": job.id}},
        "file": path.name,
    }


RUNNERS: dict[str, Runner] = {
    ASSIGNMENT: run_assignment,
    BUDGET_IMPORT: run_budget_import,
    SUBMISSIONS_ZIP: run_submissions_zip,
}


def job_dir(job_id: int) -> Path:
    """A job's files (uploads waiting for the worker, exports waiting for their download),
    outside the web root."""
    from portal.tasks import data_dir

    return data_dir(current_app) / "jobs" / str(job_id)


def start(
    session: Session, *, actor: User | None, kind: str, params: dict, fund_id: int | None = None
) -> Job:
    """Create the job in the caller's transaction; its task goes to the outbox with it and
    reaches the queue once the transaction commits (portal.outbox)."""
    job = create_job(session, actor=actor, kind=kind, params=params, fund_id=fund_id)
    later("run_job", job.id)
    return job


@handler("run_job")
def _run_job(job_id: int) -> str:
    """The outbox's work for a job: the worker claims it, so a row run twice runs it once."""
    from portal.jobs.worker import run

    return run(job_id)


def start_budget_import(session: Session, *, actor: User, uploads: list[tuple[str, bytes]]) -> Job:
    """Keep the uploaded files for the worker and start the import job."""
    job = start(session, actor=actor, kind=BUDGET_IMPORT, params={})
    folder = job_dir(job.id)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for index, (name, data) in enumerate(uploads):
        path = folder / f"{index}.{'xlsx' if name.lower().endswith(('.xlsx', '.xlsm')) else 'csv'}"
        path.write_bytes(data)
        files.append({"name": name, "path": str(path)})
    job.params = json.dumps({"files": files, "uploaded": True}, ensure_ascii=False)
    session.add(job)
    session.flush()
    return job
