"""Batch commands for funded projects: reminders, outputs import and indicators."""

import json
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from funds.accounts.services import find_user_by_email
from funds.clock import to_local, utcnow
from funds.errors import RuleViolation
from funds.notifications.rules import parse_schedule
from funds.notifications.services import notify
from funds.projects import queries
from funds.projects.bulk import due_reminders, import_outputs, log_reminder, read_table
from funds.projects.indicators import as_json
from portal import db, edge
from reviews.assignment.services import remind_reviewers


@click.command("send-reminders")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Pretend it is this day (Vietnam time); default today.",
)
@with_appcontext
def send_reminders_command(today):
    """Send the reminders owed today: reports due or overdue and yearly outputs (to the PI),
    reviews coming due or overdue (REVIEW_REMINDER_DAYS, REVIEW_OVERDUE_EVERY_DAYS), as
    notifications (inbox and e-mail, docs/notifications.md)."""
    day: date = today.date() if today else to_local(utcnow()).date()
    schedule = parse_schedule(
        current_app.config["REVIEW_REMINDER_DAYS"], current_app.config["REVIEW_OVERDUE_EVERY_DAYS"]
    )
    with edge.transaction() as s:  # logged and committed first: a failed run mails nothing
        owed = due_reminders(s, day)
        for reminder in owed:
            log_reminder(s, reminder)
            _notify_reminder(s, reminder)
        reviews = remind_reviewers(s, today=day, schedule=schedule)
    click.echo(f"{len(owed)} reminders sent for {day.isoformat()}.")
    if reviews:
        click.echo(f"{reviews} review reminders sent.")


def _notify_reminder(s, reminder) -> None:
    pi = find_user_by_email(s, reminder.pi_email)
    notify(
        s,
        kind="report_overdue" if reminder.kind.endswith("_overdue") else "report_due",
        user_id=pi.id if pi else None,
        email=reminder.pi_email,
        object_type="award",
        object_id=reminder.award_id,
        params={"contract": reminder.contract_number, "due_on": reminder.due},
    )


@click.command("import-outputs")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--as-user", "email", required=True, help="The manager recording the outputs.")
@with_appcontext
def import_outputs_command(files, email):
    """Import outputs (publications, patents, licences…) from CSV/XLSX, all or nothing."""
    from funds.accounts.services import find_user_by_email

    s = db.session()
    actor = find_user_by_email(s, email)
    if actor is None:
        raise click.ClickException(f"no account {email}")
    total = 0
    try:
        with edge.transaction():  # all files or nothing
            for name in files:
                total += import_outputs(
                    s, actor=actor, rows=read_table(name, Path(name).read_bytes())
                )
    except RuleViolation as exc:
        lines = [v.message % v.params for v in exc.violations] or [exc.message % exc.params]
        raise click.ClickException("\n".join(lines)) from exc
    click.echo(f"{total} outputs imported.")


@click.command("indicators")
@click.option("--from", "first", type=int, required=True, help="First year.")
@click.option("--to", "last", type=int, required=True, help="Last year (inclusive).")
@click.option("--baseline", type=int, default=None, help="Growth from this year (default Y−5).")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json")
@with_appcontext
def indicators_command(first, last, baseline, fmt):
    """Print every portfolio indicator of each year, with its target and legal basis."""
    if last < first:
        raise click.BadParameter("--to must not be before --from")
    report = queries.indicator_report(db.session(), None, range(first, last + 1), baseline)
    out = [
        {"year": year, "indicators": [as_json(i, year) for i in items]}
        for year, items in report.items()
    ]
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))
