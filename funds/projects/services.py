"""Use cases of funded projects; every state change is audited."""

from collections.abc import Callable, Sequence
from datetime import date

from sqlmodel import Session, col, select

from funds import audit
from funds.accounts.models import User
from funds.appraisal.queries import approved_budget
from funds.calls.models import Call
from funds.clock import to_local, utcnow
from funds.errors import N_, InvalidTransition, NotAllowed, NotFound, RuleViolation
from funds.legal import settings as legal_settings
from funds.portfolio.services import record_portfolio_line
from funds.projects import queries, rules
from funds.projects.changes.permissions import can_read_history
from funds.projects.models import (
    EXPLOITATION_KINDS,
    Award,
    AwardBudgetLine,
    AwardStatus,
    ChangeRequest,
    ChangeStatus,
    Closeout,
    Milestone,
    MilestoneStatus,
    Output,
    ProgressReport,
    ReportStatus,
)
from funds.projects.money.models import Movement, MovementKind
from funds.projects.money.queries import disbursed_in as disbursed_in  # for closeout
from funds.projects.permissions import (
    can_file_report,
    can_manage_project,
    can_report,
    can_view_project,
)
from funds.projects.regimes import services as regimes
from funds.projects.regimes.services import CommittedIndicator
from funds.projects.rules import AWARD, MILESTONE, REPORT
from funds.proposals.models import BudgetLine, CounterpartFunding, Proposal, ProposalStatus
from funds.proposals.services import get_proposal_for_manager

# Features that act on a new project register here (funds.publication gives it its public
# identifier): funds.projects never imports them, so no cycle between the packages.
award_created: list[Callable[[Session, Award, int | None], object]] = []

OUTPUT_KINDS = (
    "publication",
    "patent_application",
    "patent_grant",
    "licence",
    "transfer",
    "spin_off",
    "own_production",
    "product",
    "revenue",
)


# Exploitations of a granted patent (Resolution 57-NQ/TW §II: patents commercially exploited).
def managed_project(session: Session, *, award_id: int, actor: User) -> tuple[Award, Proposal]:
    """The award and its proposal if the actor manages its fund; otherwise NotFound."""
    award = session.get(Award, award_id)
    proposal = session.get(Proposal, award.proposal_id) if award else None
    if award is None or proposal is None or not can_manage_project(proposal, actor):
        raise NotFound(N_("No such project."))
    return award, proposal


def on_council(session: Session, award_id: int, user_id: int | None) -> bool:
    """Sits on the project's council: its own acceptance council (council_member) or a seat
    on one of its mid-term or acceptance councils (queries.council_award_ids)."""
    return (
        user_id is not None
        and session.exec(
            select(Award.id).where(
                Award.id == award_id, col(Award.id).in_(queries.council_award_ids(user_id))
            )
        ).first()
        is not None
    )


def get_project_for(session: Session, *, award_id: int, actor: User) -> tuple[Award, Proposal]:
    """The award and its proposal if this user may see them; otherwise NotFound."""
    award = session.get(Award, award_id)
    proposal = session.get(Proposal, award.proposal_id) if award else None
    if (
        award is None
        or proposal is None
        or not (
            can_view_project(proposal, actor, on_council=on_council(session, award.id, actor.id))
            or can_read_history(actor, former_pi=former_pi(session, award.id, actor.id))
        )
    ):
        raise NotFound(N_("No such project."))
    return award, proposal


def former_pi(session: Session, award_id: int, user_id: int | None) -> bool:
    """Led the project before an approved change of PI: keeps read access to its history."""
    return user_id is not None and bool(
        session.exec(
            select(ChangeRequest.id).where(
                ChangeRequest.award_id == award_id,
                ChangeRequest.kind == "pi_change",
                ChangeRequest.status == ChangeStatus.APPROVED,
                ChangeRequest.old_pi_id == user_id,
            )
        ).first()
    )


def initial_budget_lines(
    session: Session, proposal: Proposal, start: date
) -> list[tuple[str, int, str, int]]:
    """(category, fiscal year, source, đồng) from the approved appraisal's budget when there
    is one (funds.appraisal: a cut flows into the contract and the ledger), else the
    proposal's budget table (the fund's, state money; a proposal without one, imported or
    legacy, gives its request as one state line in the start year), and its counterpart
    funding (non-state, category "counterpart", in its fiscal year or else the start year)."""
    lines = session.exec(
        select(BudgetLine)
        .where(BudgetLine.proposal_id == proposal.id)
        .order_by(col(BudgetLine.fiscal_year), BudgetLine.category)
    ).all()
    state = [(b.category, b.fiscal_year, "state", b.amount_vnd) for b in lines if b.amount_vnd > 0]
    approved = approved_budget(session, proposal.id)
    if approved is not None:
        state = [(c, y, "state", a) for c, y, a in approved]
    elif not lines:
        state = [("total", start.year, "state", proposal.requested_vnd)]
    counterpart: dict[int, int] = {}
    for c in session.exec(
        select(CounterpartFunding).where(CounterpartFunding.proposal_id == proposal.id)
    ).all():
        year = c.fiscal_year or start.year
        counterpart[year] = counterpart.get(year, 0) + c.amount_vnd
    return state + [
        ("counterpart", year, "nonstate", amount)
        for year, amount in sorted(counterpart.items())
        if amount > 0
    ]


def _ledger(session, award, proposal, fiscal_year, basis, amount, source="state") -> None:
    call = session.get(Call, proposal.call_id)
    record_portfolio_line(
        session,
        project_code=award.contract_number,
        title=proposal.title,
        fund_id=call.fund_id,
        area_code=proposal.area_code,
        fiscal_year=fiscal_year,
        basis=basis,
        source=source,
        amount_vnd=amount,
    )


def create_award(
    session: Session,
    *,
    actor: User,
    proposal_id: int,
    contract_number: str,
    contract_date: date,
    start_date: date,
    end_date: date,
    funding_mode: str = "itemised",
    indicators: Sequence[CommittedIndicator] = (),
    allocation_override: str = "",
) -> Award:
    """A funded proposal becomes a project under the closeout regime of its contract date,
    with its committed quality indicators (lump sum); its committed budget enters the ledger
    once the fund's allocation of each year has room for it (or the manager gives a reason
    to go past it: funds.projects.money.services.check_allocation)."""
    proposal = get_proposal_for_manager(session, proposal_id=proposal_id, actor=actor)
    if proposal.status != ProposalStatus.FUNDED:
        raise InvalidTransition(N_("Only a funded proposal can become a project."))
    if session.exec(select(Award).where(Award.proposal_id == proposal_id)).first():
        raise RuleViolation(N_("This proposal already has an award."))
    if end_date <= start_date or funding_mode not in ("itemised", "lump_sum"):
        raise RuleViolation(N_("The project must end after it starts."))
    regimes.check_committed(funding_mode, indicators)
    regime = regimes.regime_for_contract(session, contract_date)
    lines = initial_budget_lines(session, proposal, start_date)
    from funds.projects.money import services as money  # money builds on this module

    fund_id = session.get_one(Call, proposal.call_id).fund_id
    state_years: dict[int, int] = {}
    for _category, year, source, amount in lines:
        if source == "state":
            state_years[year] = state_years.get(year, 0) + amount
    money.refuse_over_allocation(
        session,
        fund_id=fund_id,
        basis="committed",
        adding=state_years,
        override=allocation_override,
    )
    award = Award(
        proposal_id=proposal_id,
        contract_number=contract_number.strip(),
        contract_date=contract_date,
        start_date=start_date,
        end_date=end_date,
        funding_mode=funding_mode,
        regime_code=regime.code,
        regime_basis=regime.basis,
    )
    session.add(award)
    session.flush()
    regimes.add_indicators(session, award.id, indicators)
    per_year: dict[tuple[int, str], int] = {}  # the ledger's key: (year, source)
    for category, year, source, amount in lines:
        session.add(
            AwardBudgetLine(
                award_id=award.id,
                category=category,
                fiscal_year=year,
                source=source,
                amount_vnd=amount,
            )
        )
        per_year[(year, source)] = per_year.get((year, source), 0) + amount
    money.check_allocation(  # audits a reason to go past the allocation
        session,
        actor=actor,
        fund_id=fund_id,
        basis="committed",
        adding=state_years,
        override=allocation_override,
        object_type="award",
        object_id=award.id,
    )
    for (year, source), amount in per_year.items():
        _ledger(session, award, proposal, year, "committed", amount, source)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="award",
        object_id=award.id,
        action="create",
        to_state=AwardStatus.ACTIVE,
        detail=f"{award.contract_number}; closeout regime {award.regime_code}",
    )
    for hook in award_created:
        hook(session, award, actor.id)
    session.flush()
    return award


def add_milestone(
    session: Session,
    *,
    actor: User,
    award_id: int,
    owner: str,
    task: str,
    due_date: date,
    deliverable: str,
    tranche_vnd: int = 0,
) -> Milestone:
    """A milestone with its owner, due date, measurable deliverable and tranche."""
    award, _proposal = managed_project(session, award_id=award_id, actor=actor)
    if not rules.is_running(award.status):
        raise InvalidTransition(AWARD.refusal)
    milestone = Milestone(
        award_id=award.id,
        owner=owner.strip(),
        task=task.strip(),
        due_date=due_date,
        deliverable=deliverable.strip(),
    )
    session.add(milestone)
    session.flush()
    if tranche_vnd > 0:  # the milestone's tranche on the payment schedule (funds.projects.money)
        session.add(
            Movement(
                award_id=award.id,
                kind=MovementKind.TRANCHE,
                amount_vnd=tranche_vnd,
                fiscal_year=due_date.year,
                milestone_id=milestone.id,
            )
        )
    audit.record(
        session,
        actor_id=actor.id,
        object_type="milestone",
        object_id=milestone.id,
        action="create",
        to_state=MilestoneStatus.OPEN,
    )
    session.flush()
    return milestone


def submit_progress_report(
    session: Session,
    *,
    actor: User,
    award_id: int,
    milestone_id: int | None,
    progress: str,
    spending_vnd: int | None,
    risks: str = "",
    today: date | None = None,
) -> ProgressReport:
    """The PI files the report of the current reporting period, the earliest not yet met
    (spending not required in lump-sum mode); rules.filing_refusal says when not."""
    award, proposal = get_project_for(session, award_id=award_id, actor=actor)
    if not can_file_report(award, proposal, actor):
        raise NotAllowed(N_("Only the principal investigator of an active project can report."))
    if award.funding_mode == "itemised" and spending_vnd is None:
        raise RuleViolation(N_("Give the spending to date (itemised funding)."))
    today = today or to_local(utcnow()).date()
    periods = queries.report_periods(session, award, today)
    window = legal_settings.value(session, "reports.filing_window_days")
    refusal = rules.filing_refusal(periods, today=today, window_days=window)
    if refusal is not None:
        raise RuleViolation(refusal.message, **refusal.params)
    period = rules.current_period(periods)
    assert period is not None, "filing_refusal refuses once every period is met"
    report = ProgressReport(
        award_id=award.id,
        milestone_id=milestone_id,
        period=period.number,
        due_date=period.due,
        progress=progress,
        spending_vnd=spending_vnd,
        risks=risks,
    )
    session.add(report)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="progress_report",
        object_id=report.id,
        action="submit",
        to_state=ReportStatus.SUBMITTED,
        detail=f"period {period.number}",
    )
    return report


def review_progress_report(
    session: Session,
    *,
    actor: User,
    report_id: int,
    accept: bool,
    comment: str = "",
    today: date | None = None,
) -> ProgressReport:
    """Accept the report, which meets its period, accepts its milestone and releases the held
    tranches unless a past period still lacks its accepted report; or return it with
    comments (its period stays open for a new report)."""
    report = session.get(ProgressReport, report_id)
    if report is None:
        raise NotFound(N_("No such report."))
    award, _proposal = managed_project(session, award_id=report.award_id, actor=actor)
    before = REPORT.move(report, ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED)
    report.manager_comment = comment
    audit.record(
        session,
        actor_id=actor.id,
        object_type="progress_report",
        object_id=report.id,
        action="review",
        from_state=before,
        to_state=report.status,
    )
    if accept and report.milestone_id:
        _accept_milestone(session, actor, report.milestone_id)
    session.add(report)
    session.flush()
    if accept:
        from funds.projects.money import services as money  # money builds on this module

        money.release_due_tranches(
            session, actor=actor, award_id=award.id, today=today or to_local(utcnow()).date()
        )
    return report


def _accept_milestone(session, actor, milestone_id) -> None:
    milestone = session.get(Milestone, milestone_id)
    if not rules.awaiting_acceptance(milestone.status):
        return  # a second report on an accepted milestone releases nothing more
    before = MILESTONE.move(milestone, MilestoneStatus.ACCEPTED)
    session.add(milestone)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="milestone",
        object_id=milestone.id,
        action="accept",
        from_state=before,
        to_state=milestone.status,
    )


def record_output(
    session: Session,
    *,
    actor: User,
    award_id: int,
    kind: str,
    title: str,
    year: int,
    international: bool = False,
    reference: str = "",
    value_vnd: int | None = None,
    evidence: str = "",
    exploits_output_id: int | None = None,
) -> Output:
    """The PI enters a result once; allowed up to five years after closeout. An exploitation
    (licence, transfer, spin-off, own production) may name the project's granted patent it
    exploits; only then does it count in the commercialisation rate."""
    award, proposal = get_project_for(session, award_id=award_id, actor=actor)
    if not (can_report(proposal, actor) or can_manage_project(proposal, actor)):
        raise NotAllowed(N_("Only the principal investigator can record outputs."))
    if kind not in OUTPUT_KINDS or not title.strip() or not 1990 <= year <= 2200:
        raise RuleViolation(N_("Choose a kind, a title and a year for the output."))
    closed = session.exec(select(Closeout.closed_at).where(Closeout.award_id == award.id)).first()
    if not rules.outputs_open(
        to_local(closed).date() if closed else None, to_local(utcnow()).date()
    ):
        raise RuleViolation(N_("Outputs can be added until five years after closeout."))
    _check_exploited_patent(session, award.id, kind, exploits_output_id)
    output = Output(
        award_id=award.id,
        kind=kind,
        title=title.strip(),
        year=year,
        international=international,
        reference=reference.strip(),
        value_vnd=value_vnd,
        evidence=evidence.strip(),
        exploits_output_id=exploits_output_id,
    )
    session.add(output)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="output",
        object_id=output.id,
        action="create",
        detail=kind,
    )
    return output


def link_exploitation(
    session: Session, *, actor: User, output_id: int, patent_output_id: int | None
) -> Output:
    """Link a recorded exploitation (licence, transfer, spin-off, own production) to the
    project's granted patent it exploits, or unlink it (None); an exploitation counts in the
    commercialisation rate only when linked (Resolution 57-NQ/TW §II)."""
    output = session.get(Output, output_id)
    if output is None:
        raise NotFound(N_("No such output."))
    _award, proposal = get_project_for(session, award_id=output.award_id, actor=actor)
    if not (can_report(proposal, actor) or can_manage_project(proposal, actor)):
        raise NotAllowed(N_("Only the principal investigator can record outputs."))
    _check_exploited_patent(session, output.award_id, output.kind, patent_output_id)
    before = output.exploits_output_id
    output.exploits_output_id = patent_output_id
    session.add(output)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="output",
        object_id=output.id,
        action="link_patent",
        from_state=str(before or ""),
        to_state=str(patent_output_id or ""),
    )
    session.flush()
    return output


def _check_exploited_patent(session: Session, award_id: int, kind: str, patent_id: int | None):
    """An exploitation may point only to a granted patent of the same project."""
    if patent_id is None:
        return
    if kind not in EXPLOITATION_KINDS:
        raise RuleViolation(
            N_("Only a licence, transfer, spin-off or own production exploits a patent.")
        )
    patent = session.get(Output, patent_id)
    if patent is None or patent.award_id != award_id or patent.kind != "patent_grant":
        raise RuleViolation(
            N_("An exploitation must point to a granted patent of the same project.")
        )
