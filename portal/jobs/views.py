"""A job's page (progress bar, time left, result, error, cancel), its JSON for live updates,
and the person's recent jobs."""

import json

from flask import Blueprint, abort, jsonify, redirect, render_template, send_file, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required

from funds.clock import utcnow
from funds.jobs import queries, rules
from funds.jobs.errors import JobNotFound
from funds.jobs.models import Job
from funds.jobs.services import cancel_job, get_job_for
from portal import db, edge
from portal.i18n import format_number
from portal.jobs.runners import KIND_LABELS, job_dir
from portal.mfa.reauth import reauth_required

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _job(job_id: int) -> Job:
    """The job if the signed-in person may see it; 404 otherwise (another fund's manager)."""
    try:
        return get_job_for(db.session(), job_id=job_id, actor=current_user)
    except JobNotFound:
        abort(404)


def status(job: Job) -> dict:
    """What the page shows, translated: also the JSON the page polls."""
    result = json.loads(job.result or "{}")
    left = rules.time_left(
        stage_started_at=job.stage_started_at,
        now=utcnow(),
        done=job.done_units,
        total=job.total_units,
    )
    link = result.get("link")
    return {
        "id": job.id,
        "kind": _(KIND_LABELS.get(job.kind, job.kind)),
        "state": job.state,
        "state_label": _(rules.JOB.label(rules.JOB.state(job.state))),
        "stage": _(job.stage) if job.stage else "",
        "percent": rules.percent(job.state, job.done_units, job.total_units),
        "time_left": format_timedelta(left, threshold=1.0) if left else "",
        "active": rules.is_active(job.state),
        "can_cancel": rules.can_cancel(job.state, job.cancel_requested),
        "cancel_requested": job.cancel_requested and rules.is_active(job.state),
        "result": (
            _text(result["message"], result.get("params", {}))
            if job.state == "done" and result.get("message")
            else ""
        ),
        "result_url": url_for(link["endpoint"], **link["values"]) if link else "",
        "error": (_text(job.error, json.loads(job.error_params or "{}")) if job.error else ""),
    }


def _text(message: str, params: dict) -> str:
    """A stored msgid with its params, in the reader's language (decimals as numbers)."""
    shown = {k: format_number(v, 3) if isinstance(v, float) else v for k, v in params.items()}
    return _(message, **edge.params_for_display(shown))


@bp.get("/")
@login_required
def index():
    """The person's recent jobs, newest first."""
    jobs = queries.recent_jobs(db.session(), user_id=current_user.id)
    return render_template("jobs/index.html", rows=[(j, status(j)) for j in jobs])


@bp.get("/<int:job_id>")
@login_required
def show(job_id: int):
    """Progress bar, stage, time left; the result or the error once it has ended."""
    job = _job(job_id)
    result = json.loads(job.result or "{}")
    return render_template(
        "jobs/show.html",
        job=job,
        s=status(job),
        problems=result.get("problems", []),
        problem_count=result.get("problem_count", 0),
    )


@bp.get("/<int:job_id>.json")
@login_required
def show_json(job_id: int):
    """The job's state for the page's polling script."""
    response = jsonify(status(_job(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:job_id>/file")
@login_required
@reauth_required
def download(job_id: int):
    """The file a finished export job made (the people who may see the job only)."""
    job = _job(job_id)
    name = json.loads(job.result or "{}").get("file") if job.state == "done" else None
    path = job_dir(job.id) / name if name else None
    if path is None or not path.is_file():
        abort(404)
    return send_file(path, as_attachment=True, download_name=path.name)


@bp.post("/<int:job_id>/cancel")
@login_required
def cancel(job_id: int):
    """Cancel a queued job at once, or ask a running one to stop and undo its work."""
    job = _job(job_id)
    edge.run(
        lambda: cancel_job(db.session(), job_id=job.id, actor=current_user),
        success=_("Cancelling: the job stops at its next step and undoes what it did."),
    )
    return redirect(url_for("jobs.show", job_id=job.id))
