"""`flask import-budget FILE...` and `flask compliance --year Y --format json|csv`."""

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from funds.compliance import report
from funds.compliance.importing import ImportFile
from funds.compliance.services import ImportRejected, import_budget
from portal import db, edge


@click.command("import-budget")
@with_appcontext
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def import_budget_command(files):
    """Import funds, budget years, fund allocations and portfolio lines (CSV or XLSX)."""
    try:
        with edge.transaction() as s:
            counts = import_budget(
                s, actor=None, files=[ImportFile(name=str(p), path=p) for p in files]
            )
    except ImportRejected as exc:
        for problem in exc.problems:
            click.echo(problem.english(), err=True)
        raise click.ClickException(exc.message % exc.params) from None
    click.echo("Imported: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


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
