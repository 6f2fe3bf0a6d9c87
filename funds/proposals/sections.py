"""The structured sections of a draft: work plan, budget, counterpart funding, team facts."""

from sqlmodel import Session, col, delete, func, select

from funds.errors import N_, RuleViolation
from funds.profiles.models import CoInvestigator
from funds.proposals.eligibility import ProposalFacts, budget_totals
from funds.proposals.models import (
    Attachment,
    BudgetCategory,
    BudgetLine,
    CounterpartFunding,
    Proposal,
    ProposalStatus,
    WorkPackage,
)
from funds.rules import Violation, check_amount

CATEGORIES = tuple(c.value for c in BudgetCategory)
MIN_YEAR, MAX_YEAR = 2000, 2100


def check_sections(values: dict) -> list[Violation]:
    """Shape rules of the tables: whole non-negative đồng, known categories, sane years."""
    found = []
    for category, year, amount in values.get("budget_lines", ()):
        if category not in CATEGORIES:
            found.append(Violation("budget", N_("Unknown budget category.")))
        if not MIN_YEAR <= year <= MAX_YEAR:
            found.append(Violation("budget", N_("Fiscal years run from 2000 to 2100.")))
        found += [Violation("budget", v.message) for v in check_amount(amount)]
    for _source, amount, *year in values.get("counterparts", ()):
        found += [Violation("counterparts", v.message) for v in check_amount(amount)]
        if year and year[0] is not None and not MIN_YEAR <= year[0] <= MAX_YEAR:
            found.append(Violation("counterparts", N_("Fiscal years run from 2000 to 2100.")))
    for wp in values.get("work_packages", ()):
        if not 1 <= wp["due_month"] <= 600:
            found.append(Violation("work_packages", N_("Due months count from 1.")))
    return found


def replace_sections(session: Session, proposal: Proposal, values: dict) -> None:
    """Replace whichever tables the values carry; the others stay as they are."""
    found = check_sections(values)
    if found:
        raise RuleViolation(found[0].message, found)
    pid = proposal.id
    if "work_packages" in values:
        session.exec(delete(WorkPackage).where(col(WorkPackage.proposal_id) == pid))
        session.add_all(
            WorkPackage(proposal_id=pid, position=i, **wp)
            for i, wp in enumerate(values["work_packages"])
        )
    if "budget_lines" in values:
        session.exec(delete(BudgetLine).where(col(BudgetLine.proposal_id) == pid))
        merged: dict = {}
        for category, year, amount in values["budget_lines"]:
            merged[(category, year)] = merged.get((category, year), 0) + amount
        session.add_all(
            BudgetLine(proposal_id=pid, category=c, fiscal_year=y, amount_vnd=a)
            for (c, y), a in merged.items()
            if a
        )
        proposal.requested_vnd = sum(merged.values())
    if "counterparts" in values:
        session.exec(delete(CounterpartFunding).where(col(CounterpartFunding.proposal_id) == pid))
        session.add_all(
            # (source, đồng) or (source, đồng, fiscal year): the year the money is spent
            CounterpartFunding(
                proposal_id=pid, source=s, amount_vnd=a, fiscal_year=next(iter(y), None)
            )
            for s, a, *y in values["counterparts"]
            if s.strip() or a
        )


def budget_lines(session: Session, proposal_id: int) -> list[tuple[str, int, int]]:
    rows = session.exec(
        select(BudgetLine)
        .where(BudgetLine.proposal_id == proposal_id)
        .order_by(col(BudgetLine.fiscal_year), BudgetLine.category)
    ).all()
    return [(r.category, r.fiscal_year, r.amount_vnd) for r in rows]


def work_packages(session: Session, proposal_id: int) -> list[WorkPackage]:
    return list(
        session.exec(
            select(WorkPackage)
            .where(WorkPackage.proposal_id == proposal_id)
            .order_by(col(WorkPackage.position))
        ).all()
    )


def counterparts(session: Session, proposal_id: int) -> list[CounterpartFunding]:
    return list(
        session.exec(
            select(CounterpartFunding)
            .where(CounterpartFunding.proposal_id == proposal_id)
            .order_by(col(CounterpartFunding.id))
        ).all()
    )


def team(session: Session, proposal_id: int) -> list[CoInvestigator]:
    return list(
        session.exec(
            select(CoInvestigator)
            .where(CoInvestigator.proposal_id == proposal_id)
            .order_by(col(CoInvestigator.id))
        ).all()
    )


def attachments(session: Session, proposal_id: int) -> list[Attachment]:
    return list(
        session.exec(
            select(Attachment)
            .where(Attachment.proposal_id == proposal_id)
            .order_by(col(Attachment.id))
        ).all()
    )


def _active_by_pi(session: Session, proposal: Proposal) -> int:
    active = (
        ProposalStatus.SUBMITTED,
        ProposalStatus.FUNDED,
        ProposalStatus.NOT_FUNDED,
        ProposalStatus.SHORTLISTED,
        ProposalStatus.NOT_SHORTLISTED,
    )
    stmt = (
        select(func.count())
        .select_from(Proposal)
        .where(
            Proposal.call_id == proposal.call_id,
            Proposal.pi_id == proposal.pi_id,
            Proposal.id != proposal.id,
            Proposal.stage == proposal.stage,  # a full proposal and its outline count once
            col(Proposal.status).in_(active),
        )
    )
    return session.exec(stmt).one()


def facts_for(session: Session, proposal: Proposal) -> ProposalFacts:
    """The proposal as plain values for the eligibility checklist."""
    lines = budget_lines(session, proposal.id)
    if not lines and proposal.requested_vnd:  # a skeleton-style single amount
        lines = [("other", proposal.created_at.year, proposal.requested_vnd)]
    return ProposalFacts(
        title=proposal.title,
        title_en=proposal.title_en,
        abstract=proposal.abstract,
        keywords=proposal.keywords,
        area_code=proposal.area_code,
        trl_now=proposal.trl_now,
        trl_target=proposal.trl_target,
        duration_months=proposal.duration_months,
        budget_lines=tuple(lines),
        work_packages=len(work_packages(session, proposal.id)),
        attachment_kinds=frozenset(a.kind for a in attachments(session, proposal.id)),
        other_active_by_pi=_active_by_pi(session, proposal),
        host_id=proposal.host_id,
        stage=proposal.stage,
        requested_vnd=proposal.requested_vnd,
    )


__all__ = ["CATEGORIES", "budget_totals"]
