"""Use cases of budget compliance: import data, edit a rule, acknowledge a slate."""

import json
from fractions import Fraction

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.calls.models import Fund
from funds.clock import utcnow
from funds.compliance import importing, loading
from funds.compliance.models import (
    BudgetImport,
    ComplianceRule,
    ComplianceRuleVersion,
    SlateAcknowledgement,
)
from funds.compliance.permissions import can_edit_rules, can_import_budget, can_view_compliance
from funds.errors import N_, DomainError, NotAllowed, NotFound, RuleViolation
from funds.jobs.services import NoProgress, ProgressReport
from funds.legal.models import LegalInstrument
from funds.portfolio.services import rebuild_portfolio_totals
from funds.proposals.services import get_proposal_for_manager
from funds.rules import Violation
from funds.taxonomy.models import StrategicTechnology


class ImportRejected(DomainError):
    """The import has errors; nothing was written. `problems` lists every one."""

    code = "import_rejected"

    def __init__(self, problems: list[importing.ImportProblem]):
        super().__init__(
            N_("Nothing was imported: %(count)s errors were found."), count=len(problems)
        )
        self.problems = problems


def import_budget(
    session: Session,
    *,
    actor: User | None,
    files: list[importing.ImportFile],
    progress: ProgressReport | None = None,
) -> dict[str, int]:
    """Validate every row of every file, then write all of it or none (`actor` None: CLI).
    Run as a job, it reports each chunk to `progress` and stops between chunks when asked
    to; the caller's transaction then rolls back, so nothing is half-imported."""
    if actor is not None and not can_import_budget(actor):
        raise NotAllowed(N_("Only fund managers can import budget data."))
    progress = progress or NoProgress()
    stage = loading.PortfolioStage(session)
    try:
        counts = _check_and_write(session, files, progress, stage)
    except BaseException:
        stage.abandon()
        raise
    finally:
        stage.close()
    record = BudgetImport(
        actor_id=actor.id if actor else None,
        counts=json.dumps(counts),
        files=", ".join(f.name for f in files)[:2000],
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor_id=record.actor_id,
        object_type="budget_import",
        object_id=record.id,
        action="import",
        detail=record.counts,
    )
    return counts


def _check_and_write(
    session: Session,
    files: list[importing.ImportFile],
    progress: ProgressReport,
    stage: loading.PortfolioStage,
) -> dict[str, int]:
    """Check every file (ledger chunks parked in `stage` as they pass), then write."""
    rows = sum(importing.count_rows(f) for f in files)
    progress.stage(N_("Checking the files"), rows)
    existing = set(session.exec(select(Fund.code)).all())
    listed = session.exec(select(StrategicTechnology)).all()
    areas = {a.code for a in listed if a.active}
    inactive = {a.code for a in listed if not a.active}

    counts = dict.fromkeys(importing.ORDER, 0)
    written: set[str] = set()  # kinds written early, for a direct load of the ledger

    def write_funds() -> None:
        nobody = importing.Known(frozenset(), frozenset())
        for f in (f for f in files if f.kind == "funds"):
            counts["funds"] += _apply_file(session, f, nobody, NoProgress())
        written.add("funds")

    decided = False

    def keep(f: importing.ImportFile, part) -> None:
        nonlocal decided
        if f.kind != "portfolio":
            return
        if not decided:  # the first checked ledger chunk: straight to the ledger?
            decided = True
            lines = sum(importing.count_rows(g) for g in files if g.kind == "portfolio")
            stage.direct = loading.DirectLoad.start(stage, lines, write_funds)
        stage.add(id(f), part)

    known, problems = importing.validate(
        files, existing, areas, inactive, on_chunk=progress.advance, keep=keep
    )
    if problems:
        raise ImportRejected(problems)
    stage.ready()
    progress.stage(N_("Writing the rows"), rows)
    for kind in importing.ORDER:
        if kind in written:
            progress.advance(counts[kind])
            continue
        if kind == "portfolio":
            session.flush()  # funds first: the ledger's lines name them
            merged = loading.bulk_merge(stage, progress.check)
            if merged is not None:
                counts[kind] = merged
                progress.advance(merged)
                continue
        for f in (f for f in files if f.kind == kind):
            if kind == "portfolio":
                counts[kind] += _apply_staged(session, stage, id(f), progress)
            else:
                counts[kind] += _apply_file(session, f, known, progress)
    if counts["portfolio"]:
        progress.stage(N_("Updating the portfolio totals"))
        rebuild_portfolio_totals(session)
    return counts


def _apply_staged(
    session: Session, stage: loading.PortfolioStage, key: int, progress: ProgressReport
) -> int:
    total = 0
    for part in stage.parts.get(key, []):
        progress.check()
        total += loading.apply_portfolio(session, stage, part)
        progress.advance(part.rows)
    session.flush()
    return total


def _apply_file(
    session: Session, f: importing.ImportFile, known: importing.Known, progress: ProgressReport
) -> int:
    ignored: list = []
    total = 0
    for frame in importing.prepared_chunks(f, known, ignored):
        progress.check()
        total += getattr(loading, f"apply_{f.kind}")(session, frame)
        progress.advance(len(frame))
    session.flush()
    return total


def rule_violations(
    *, threshold: str | None, metric: str, effective_from: int | None, effective_to: int | None
) -> list[Violation]:
    """A threshold is a decimal fraction in [0, 1] (0.15 is 15%); periods run forward."""
    found = []
    if metric in ("stidx_share_rising", "st_share_rising"):
        if threshold:
            found.append(
                Violation(
                    "threshold",
                    N_("This rule compares with the previous year; it takes no threshold."),
                )
            )
    else:
        try:
            value = Fraction(threshold or "")
            if not 0 <= value <= 1:
                raise ValueError
        except (ValueError, ZeroDivisionError):
            found.append(
                Violation(
                    "threshold",
                    N_("Enter the threshold as a decimal fraction between 0 and 1, e.g. 0.15."),
                )
            )
    if effective_from and effective_to and effective_to < effective_from:
        found.append(Violation("effective_to", N_("The period must end after it starts.")))
    return found


def update_rule(
    session: Session,
    *,
    actor: User,
    rule_id: str,
    threshold: str | None,
    strict: bool,
    effective_from: int | None,
    effective_to: int | None,
    source: str,
    note: str = "",
    instrument_code: str | None = None,
    article: str | None = None,
) -> ComplianceRule:
    """An admin changes a rule; the previous state stays in the rule's history. The rule
    keeps its instrument and article unless new ones are given."""
    if not can_edit_rules(actor):
        raise NotAllowed(N_("Only administrators can change compliance rules."))
    rule = session.get(ComplianceRule, rule_id)
    if rule is None:
        raise NotFound(N_("No such rule."))
    threshold = (threshold or "").strip() or None
    found = rule_violations(
        threshold=threshold,
        metric=rule.metric,
        effective_from=effective_from,
        effective_to=effective_to,
    )
    if instrument_code and session.get(LegalInstrument, instrument_code) is None:
        found.append(Violation("instrument_code", N_("Choose a legal instrument.")))
    if found:
        raise RuleViolation(found[0].message, found)
    if instrument_code:
        rule.instrument_code = instrument_code
    if article is not None:
        rule.article = article.strip()[:120]
    before = rule.threshold
    rule.threshold, rule.strict, rule.source = threshold, strict, source.strip()
    rule.effective_from, rule.effective_to = effective_from, effective_to
    rule.version, rule.updated_at, rule.updated_by = rule.version + 1, utcnow(), actor.id
    session.add(rule)
    session.add(
        ComplianceRuleVersion(
            rule_id=rule.id,
            version=rule.version,
            threshold=threshold,
            strict=strict,
            effective_from=effective_from,
            effective_to=effective_to,
            source=rule.source,
            instrument_code=rule.instrument_code,
            article=rule.article,
            changed_by=actor.id,
            note=note.strip()[:1000],
        )
    )
    audit.record(
        session,
        actor_id=actor.id,
        object_type="compliance_rule",
        object_id=0,
        action="update",
        from_state=before,
        to_state=threshold,
        detail=f"{rule.id} v{rule.version}",
    )
    session.flush()
    return rule


def acknowledge_slate(
    session: Session,
    *,
    actor: User,
    proposal_ids: list[int],
    years_below: list[int],
    summary: dict,
    note: str,
) -> SlateAcknowledgement:
    """A manager records that they fund a slate knowing it leaves years below a floor; the
    slate holds only submitted proposals of funds they manage."""
    if not can_view_compliance(actor):
        raise NotAllowed(N_("Only fund managers can do this."))
    for proposal_id in proposal_ids:
        get_proposal_for_manager(session, proposal_id=proposal_id, actor=actor)
    if not note.strip():
        raise RuleViolation(
            N_("Say why the slate goes ahead below the floor."),
            [Violation("note", N_("Say why the slate goes ahead below the floor."))],
        )
    ack = SlateAcknowledgement(
        actor_id=actor.id,
        proposal_ids=",".join(map(str, sorted(proposal_ids)))[:4000],
        years_below=",".join(map(str, sorted(years_below)))[:400],
        summary=json.dumps(summary, sort_keys=True)[:4000],
        note=note.strip()[:2000],
    )
    session.add(ack)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="slate_acknowledgement",
        object_id=ack.id,
        action="acknowledge_below_floor",
        detail=ack.years_below,
    )
    return ack
