"""Reads of appraisals: the lines side by side (submitted | proposed | approved) and the
approved work plan and budget that the contract and the award take."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from funds.appraisal.models import (
    Appraisal,
    AppraisalAppraiser,
    AppraisalBudgetLine,
    AppraisalStatus,
    AppraisalWorkLine,
)
from funds.appraisal.rules import WorkValues, approved_amount, approved_choice


def appraisal_of(session: Session, proposal_id: int) -> Appraisal | None:
    return session.exec(select(Appraisal).where(Appraisal.proposal_id == proposal_id)).first()


def appraiser_ids(session: Session, appraisal_id: int) -> list[int]:
    return list(
        session.exec(
            select(AppraisalAppraiser.user_id)
            .where(AppraisalAppraiser.appraisal_id == appraisal_id)
            .order_by(col(AppraisalAppraiser.id))
        ).all()
    )


def budget_lines(session: Session, appraisal_id: int) -> list[AppraisalBudgetLine]:
    return list(
        session.exec(
            select(AppraisalBudgetLine)
            .where(AppraisalBudgetLine.appraisal_id == appraisal_id)
            .order_by(col(AppraisalBudgetLine.fiscal_year), col(AppraisalBudgetLine.category))
        ).all()
    )


def work_lines(session: Session, appraisal_id: int) -> list[AppraisalWorkLine]:
    return list(
        session.exec(
            select(AppraisalWorkLine)
            .where(AppraisalWorkLine.appraisal_id == appraisal_id)
            .order_by(col(AppraisalWorkLine.position), col(AppraisalWorkLine.id))
        ).all()
    )


def submitted_work(line: AppraisalWorkLine) -> WorkValues:
    return WorkValues(line.owner, line.task, line.due_month, line.deliverable)


def proposed_work(line: AppraisalWorkLine) -> WorkValues:
    """The values the appraisal proposes (each unchanged fact as submitted)."""
    return WorkValues(
        line.owner if line.proposed_owner is None else line.proposed_owner,
        line.task if line.proposed_task is None else line.proposed_task,
        line.due_month if line.proposed_due_month is None else line.proposed_due_month,
        line.deliverable if line.proposed_deliverable is None else line.proposed_deliverable,
    )


def work_changed(line: AppraisalWorkLine) -> bool:
    return line.proposed_removed or proposed_work(line) != submitted_work(line)


def budget_changed(line: AppraisalBudgetLine) -> bool:
    return line.proposed_vnd is not None and line.proposed_vnd != line.submitted_vnd


def approved_work_values(line: AppraisalWorkLine) -> WorkValues | None:
    """The approved work package, or None when the approval removed it."""
    choice = approved_choice(work_changed(line), line.response, line.keep_submitted)
    if choice == "submitted":
        return submitted_work(line)
    return None if line.proposed_removed else proposed_work(line)


@dataclass(frozen=True)
class BudgetRow:
    """A budget line side by side: submitted | proposed | approved, with the reason and the
    PI's answer."""

    line: AppraisalBudgetLine
    changed: bool
    proposed_vnd: int
    approved_vnd: int


@dataclass(frozen=True)
class WorkRow:
    line: AppraisalWorkLine
    changed: bool
    submitted: WorkValues
    proposed: WorkValues | None  # None: proposed for removal
    approved: WorkValues | None  # None: removed


def budget_rows(session: Session, appraisal_id: int) -> list[BudgetRow]:
    return [
        BudgetRow(
            line=b,
            changed=budget_changed(b),
            proposed_vnd=b.submitted_vnd if b.proposed_vnd is None else b.proposed_vnd,
            approved_vnd=(
                b.approved_vnd
                if b.approved_vnd is not None
                else approved_amount(b.submitted_vnd, b.proposed_vnd, b.response, b.keep_submitted)
            ),
        )
        for b in budget_lines(session, appraisal_id)
    ]


def work_rows(session: Session, appraisal_id: int) -> list[WorkRow]:
    return [
        WorkRow(
            line=w,
            changed=work_changed(w),
            submitted=submitted_work(w),
            proposed=None if w.proposed_removed else proposed_work(w),
            approved=approved_work_values(w),
        )
        for w in work_lines(session, appraisal_id)
    ]


def approved_appraisal(session: Session, proposal_id: int) -> Appraisal | None:
    found = appraisal_of(session, proposal_id)
    return found if found is not None and found.status == AppraisalStatus.APPROVED else None


def approved_budget(session: Session, proposal_id: int) -> list[tuple[str, int, int]] | None:
    """(category, fiscal year, đồng) of the approved appraisal's state budget, lines above
    zero; None when the proposal has no approved appraisal."""
    found = approved_appraisal(session, proposal_id)
    if found is None:
        return None
    return [
        (b.category, b.fiscal_year, b.approved_vnd or 0)
        for b in budget_lines(session, found.id)
        if (b.approved_vnd or 0) > 0
    ]


def approved_work(session: Session, proposal_id: int) -> list[tuple[int, WorkValues]] | None:
    """(work line id, its approved values) of the approved appraisal, removed ones left
    out; None when the proposal has no approved appraisal."""
    found = approved_appraisal(session, proposal_id)
    if found is None:
        return None
    return [
        (w.id, values)
        for w in work_lines(session, found.id)
        if (values := approved_work_values(w)) is not None
    ]
