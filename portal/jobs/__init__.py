"""Jobs with progress: pages, the worker that runs them, and the commands."""

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l


@click.command("requeue-jobs")
@with_appcontext
@click.option(
    "--stalled-minutes",
    default=60,
    show_default=True,
    help="A running job whose worker reported nothing for this long is marked failed.",
)
def requeue_jobs_command(stalled_minutes):
    """Queue again every job still waiting (after the queue lost its tasks; a job already
    claimed by a worker is never run twice), and mark failed the running jobs whose worker
    stopped reporting (it died): run it from cron, or after an outage."""
    from datetime import timedelta

    from funds.jobs.queries import queued_job_ids
    from funds.jobs.services import fail_stalled_jobs
    from portal import edge
    from portal.outbox.relay import later

    with edge.transaction() as s:
        stalled = fail_stalled_jobs(s, silent_for=timedelta(minutes=stalled_minutes))
        ids = queued_job_ids(s)
        for job_id in ids:
            later("run_job", job_id)
    click.echo(f"Marked failed: {len(stalled)} stalled jobs. Queued again: {len(ids)} jobs.")


@click.command("clean-job-files")
@with_appcontext
@click.option("--days", default=7, show_default=True, help="Keep the files of younger jobs.")
def clean_job_files_command(days):
    """Remove the files of jobs that ended more than DAYS ago (exports hold personal data)."""
    import shutil
    from datetime import timedelta

    from funds.clock import utcnow
    from funds.jobs.queries import ended_job_ids
    from portal import db
    from portal.jobs.runners import job_dir

    removed = 0
    for job_id in ended_job_ids(db.session(), before=utcnow() - timedelta(days=days)):
        folder = job_dir(job_id)
        if folder.is_dir():
            shutil.rmtree(folder)
            removed += 1
    click.echo(f"Removed the files of {removed} jobs.")


def register(app: Flask) -> None:
    """Navigation entry ("My jobs" for everyone who can start one) and the commands."""
    from funds.accounts.permissions import is_manager
    from portal.navigation import register_nav

    register_nav(app, "jobs.index", _l("My jobs"), is_manager)
    app.cli.add_command(requeue_jobs_command)
    app.cli.add_command(clean_job_files_command)
