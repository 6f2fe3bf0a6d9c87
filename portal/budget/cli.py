"""`flask import-budget FILE...` and `flask compliance --year Y --format json|csv`."""

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from funds.compliance import report
from funds.compliance.importing import ImportProblem
from funds.jobs.models import Job, JobState
from funds.jobs.services import create_job
from portal import db, edge
from portal.jobs.runners import BUDGET_IMPORT
from portal.jobs.worker import run


@click.command("import-budget")
@with_appcontext
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def import_budget_command(files):
    """Import funds, budget years, fund allocations and portfolio lines (CSV or XLSX), as a
    job run in this process (its progress is on its page, /jobs/<id>, for its duration)."""
    listed = [{"name": str(p), "path": str(p.resolve())} for p in files]
    with edge.transaction() as s:
        job = create_job(s, actor=None, kind=BUDGET_IMPORT, params={"files": listed})
    run(job.id)
    ended = db.session().get(Job, job.id, populate_existing=True)
    assert ended is not None
    result = json.loads(ended.result or "{}")
    if ended.state != JobState.DONE:
        for problem in result.get("problems", []):
            click.echo(ImportProblem(**problem).english(), err=True)
        params = json.loads(ended.error_params or "{}")
        raise click.ClickException(ended.error % params if params else ended.error)
    click.echo("Imported: " + result["params"]["summary"])


@click.command("compliance")
@with_appcontext
@click.option("--year", type=int, multiple=True, help="Fiscal year (repeat; default: all).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
def compliance_command(year, fmt):
    """Print the compliance report of one or more fiscal years."""
    s = db.session()
    years = list(year) or report.all_years(s)
    reports = [report.year_report(s, y) for y in years]
    if fmt == "csv":
        click.echo(report.csv_text(reports), nl=False)
    elif len(reports) == 1:
        click.echo(json.dumps(reports[0], ensure_ascii=False, indent=2))
    else:
        click.echo(json.dumps(reports, ensure_ascii=False, indent=2))
