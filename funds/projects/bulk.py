"""Reminders for every project, and importing outputs from CSV/XLSX rows (all or nothing)."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlmodel import Session, col, select

from funds import audit
from funds.accounts.models import User
from funds.calls.queries import managed_fund_ids
from funds.clock import to_local
from funds.errors import N_, DomainError, RuleViolation
from funds.projects import rules
from funds.projects.models import Award, Closeout, Output, ProgressReport
from funds.projects.queries import award_ids
from funds.projects.services import OUTPUT_KINDS, record_output
from funds.proposals.models import Proposal
from funds.rules import Violation
from funds.spreadsheets import check_xlsx

OUTPUT_COLUMNS = [
    "contract_number",
    "kind",
    "title",
    "year",
    "international",
    "reference",
    "value_vnd",
    "evidence",
    "exploits_patent",  # optional: the number (reference) of the granted patent exploited
]


@dataclass(frozen=True)
class Reminder:
    award_id: int
    contract_number: str
    pi_email: str
    kind: str
    due: date


def due_reminders(session: Session, today: date) -> list[Reminder]:
    """Every reminder owed today, across projects; progress reminders follow the periods
    met (accepted reports), not the count of reports filed."""
    found = []
    for award in session.exec(select(Award)).all():
        proposal = session.get_one(Proposal, award.proposal_id)
        pi = session.get_one(User, proposal.pi_id)
        filed = [
            rules.FiledReport(period, status)
            for period, status in session.exec(
                select(ProgressReport.period, ProgressReport.status).where(
                    ProgressReport.award_id == award.id
                )
            ).all()
        ]
        closeout = session.exec(select(Closeout).where(Closeout.award_id == award.id)).first()
        closed = to_local(closeout.closed_at).date() if closeout and closeout.closed_at else None
        for kind, due in rules.reminders(
            start=award.start_date,
            end=award.end_date,
            reports=filed,
            final_report_filed=bool(closeout and closeout.final_report_at),
            closed_on=closed,
            today=today,
        ):
            found.append(Reminder(award.id, award.contract_number, pi.email, kind, due))
    return found


def log_reminder(session: Session, reminder: Reminder) -> None:
    audit.record(
        session,
        actor_id=None,
        object_type="award",
        object_id=reminder.award_id,
        action="reminder",
        to_state=reminder.kind,
        detail=str(reminder.due),
    )


def read_table(name: str, data: bytes) -> list[dict]:
    """CSV or XLSX rows as dicts of strings (header line required)."""
    from io import BytesIO

    if name.lower().endswith((".xlsx", ".xlsm")):
        check_xlsx(BytesIO(data))  # SpreadsheetRefused before pandas holds a bomb in memory
        frame = pd.read_excel(BytesIO(data), dtype=str)
    else:
        frame = pd.read_csv(BytesIO(data), dtype=str, keep_default_na=False)
    frame = frame.fillna("")
    missing = [c for c in ("contract_number", "kind", "title", "year") if c not in frame.columns]
    if missing:
        raise RuleViolation(N_("The file lacks the columns %(cols)s."), cols=", ".join(missing))
    return frame.to_dict("records")


def _row_values(row: dict, n: int, errors: list[Violation]) -> dict | None:
    def err(col, msg, **p):
        errors.append(Violation(col, msg, {"row": n, "col": col, **p}))

    kind = str(row.get("kind", "")).strip()
    if kind not in OUTPUT_KINDS:
        err("kind", N_("Row %(row)s, column %(col)s: unknown kind."))
    year = str(row.get("year", "")).strip()
    if not year.isdigit():
        err("year", N_("Row %(row)s, column %(col)s: a year like 2026."))
    value = str(row.get("value_vnd", "") or "").strip()
    if value and not value.isdigit():
        err("value_vnd", N_("Row %(row)s, column %(col)s: whole đồng, no sign or decimals."))
    if not str(row.get("title", "")).strip():
        err("title", N_("Row %(row)s, column %(col)s: a title is required."))
    if errors and errors[-1].params["row"] == n:
        return None
    return {
        "kind": kind,
        "title": str(row["title"]),
        "year": int(year),
        "international": str(row.get("international", "")).strip().lower()
        in ("1", "true", "yes", "có", "x"),
        "reference": str(row.get("reference", "")),
        "evidence": str(row.get("evidence", "")),
        "value_vnd": int(value) if value else None,
        "exploits_patent": str(row.get("exploits_patent", "") or "").strip(),
    }


def _patent_id(session: Session, award_id: int, reference: str) -> int | None:
    """The project's granted patent with this number (recorded earlier, or in an earlier
    row of the same file); None for an empty reference."""
    if not reference:
        return None
    patent = session.exec(
        select(Output).where(
            Output.award_id == award_id,
            Output.kind == "patent_grant",
            Output.reference == reference,
        )
    ).first()
    if patent is None:
        raise RuleViolation(
            N_("No granted patent of this project has the number %(number)s."), number=reference
        )
    return patent.id


def import_outputs(session: Session, *, actor: User, rows: list[dict]) -> int:
    """Validate every row first (row 2 is the first data row); write only if all are good.
    Only the projects of the funds the actor manages are found (others' stay unseen)."""
    errors: list[Violation] = []
    awards = {
        a.contract_number: a
        for a in session.exec(
            select(Award).where(
                col(Award.id).in_(award_ids(session, fund_ids=managed_fund_ids(session, actor)))
            )
        ).all()
    }
    parsed = []
    for n, row in enumerate(rows, start=2):
        award = awards.get(str(row.get("contract_number", "")).strip())
        if award is None:
            errors.append(
                Violation(
                    "contract_number",
                    N_("Row %(row)s, column %(col)s: no project with this contract number."),
                    {"row": n, "col": "contract_number"},
                )
            )
        values = _row_values(row, n, errors)
        if award is not None and values is not None:
            parsed.append((n, award, values))
    for n, award, values in parsed if not errors else []:
        patent = values.pop("exploits_patent")
        try:
            values["exploits_output_id"] = _patent_id(session, award.id, patent)
            record_output(session, actor=actor, award_id=award.id, **values)
        except DomainError as exc:
            errors.append(
                Violation(
                    "row",
                    N_("Row %(row)s: %(problem)s"),
                    {"row": n, "problem": exc.message % exc.params if exc.params else exc.message},
                )
            )
    if errors:
        raise RuleViolation(N_("Nothing was imported: %(n)s problems."), errors, n=len(errors))
    return len(parsed)
