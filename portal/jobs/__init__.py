"""Jobs with progress: pages, the worker that runs them, and the commands."""

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l


@click.command("requeue-jobs")
@with_appcontext
def requeue_jobs_command():
    """Queue again every job still waiting (after the queue lost its tasks); a job already
    claimed by a worker is never run twice."""
    from funds.jobs.queries import queued_job_ids
    from portal import db
    from portal.tasks import run_job

    ids = queued_job_ids(db.session())
    for job_id in ids:
        run_job(job_id)
    click.echo(f"Queued again: {len(ids)} jobs.")


def register(app: Flask) -> None:
    """Navigation entry ("My jobs" for everyone who can start one) and the command."""
    from funds.accounts.permissions import is_manager
    from portal.navigation import register_nav

    register_nav(app, "jobs.index", _l("My jobs"), is_manager)
    app.cli.add_command(requeue_jobs_command)
