"""The fund's decisions that cite a council and its signed minutes.

- decide_selection: the selection decision lists the items the council recommended, in its
  ranking; a departure needs its reason, shown in the decision document; the proposals are
  decided through funds.proposals.services.record_decision, after the strategic-floor slate
  check the funding line performs (reviews.consolidation.services.unacknowledged_years).
- close_from_council: acceptance consequences (regime, refunds, certificate) follow the
  acceptance council's concluded rating, through funds.projects.closeout.evaluate_and_close.
- stop_from_council: a mid-term council's "stop" ends the project through the same closeout
  path under its regime, as a task that did not reach its results.
"""

import hashlib
from collections.abc import Callable
from dataclasses import replace

from sqlmodel import Session

from funds import audit
from funds.accounts.models import User
from funds.clock import to_local, utcnow
from funds.errors import N_, InvalidTransition, NotAllowed, RuleViolation
from funds.projects import closeout as co
from funds.projects.acceptance.services import self_evaluation_of
from funds.projects.models import Closeout
from funds.projects.regimes.rules import Consequence, Evaluation, Rating
from funds.proposals.services import record_decision
from reviews.consolidation.lottery.queries import decision_notes
from reviews.consolidation.services import refuse_unendorsed, unacknowledged_years
from reviews.councils.decisions.models import CouncilDecision, CouncilDecisionLine
from reviews.councils.decisions.permissions import can_decide_on_council, can_decide_selection
from reviews.councils.decisions.queries import (
    DecisionRecord,
    RankedItem,
    decision_of_meeting,
    decision_record,
    ranked_items,
)
from reviews.councils.decisions.rules import FUNDED, is_departure, line_problems, lines_from
from reviews.councils.meetings.models import Meeting
from reviews.councils.meetings.models import Recommendation as R
from reviews.councils.meetings.queries import ItemAccess, item_access, meeting_access
from reviews.councils.minutes.models import Minutes
from reviews.councils.minutes.queries import signed_minutes
from reviews.councils.models import Council, CouncilKind

DecisionRenderer = Callable[[DecisionRecord, str], bytes]


def _signed(session: Session, meeting_id: int) -> Minutes:
    minutes = signed_minutes(session, meeting_id)
    if minutes is None:
        raise InvalidTransition(
            N_(
                "The minutes must be signed by the council's chair and secretary before a "
                "decision can cite them."
            )
        )
    return minutes


def decide_selection(
    session: Session,
    *,
    actor: User,
    meeting_id: int,
    outcomes: dict[int, tuple[str, str]],
    render: DecisionRenderer,
    number: str = "",
    language: str = "vi",
) -> CouncilDecision:
    """The fund's selection decision on a selection council's meeting: {item id: (funded |
    not_funded, reason)} for every proposal still to decide; a departure from the council's
    recommendation (or an item without conclusion) needs its reason. Records each proposal's
    decision, and the decision document (PDF, with its SHA-256)."""
    access = meeting_access(session, actor=actor, meeting_id=meeting_id)
    if not can_decide_selection(access.council, actor, manages=access.manages):
        raise NotAllowed(N_("The fund's managers decide on a selection council's advice."))
    minutes = _signed(session, meeting_id)
    if decision_of_meeting(session, meeting_id) is not None:
        raise InvalidTransition(N_("The fund has already decided on this meeting."))
    rows = [r for r in ranked_items(session, meeting_id) if r.decidable]
    if any(r.item.conclusion is None for r in rows):
        raise InvalidTransition(N_("Every item must be concluded by the council first."))
    problems = line_problems(lines_from({r.item.id: r.item.conclusion for r in rows}, outcomes))
    if problems:
        raise RuleViolation(N_("The decision is not complete: see the marked items."), problems)
    chosen = [(r, *outcomes[r.item.id]) for r in rows]
    _check_slate(session, [r.proposal.id for r, outcome, _why in chosen if outcome == FUNDED])
    refuse_unendorsed(session, [r.proposal.id for r, outcome, _why in chosen if outcome == FUNDED])
    drawn = decision_notes(session, access.council.call_id)
    for r, outcome, reason in chosen:
        lottery = drawn.get(r.proposal.id, "")
        note = _note(access.council, minutes, r, outcome, reason)
        record_decision(
            session,
            actor=actor,
            proposal_id=r.proposal.id,
            outcome=outcome,
            note=f"{note}; {lottery}"[:5000] if lottery else note,
        )
    return _document(
        session, actor, access.council, access.meeting, minutes, chosen, number, render, language
    )


def _check_slate(session: Session, funded: list[int]) -> None:
    """The funding line's check: a slate that leaves a fiscal year below the strategic-
    technology floor needs the manager's acknowledgement (Resolution 57-NQ/TW §III.3)."""
    years = unacknowledged_years(session, funded) if funded else []
    if years:
        raise RuleViolation(
            N_(
                "This slate leaves fiscal year(s) %(years)s below the "
                "strategic-technology floor: acknowledge it on the budget "
                "check first."
            ),
            years=", ".join(map(str, years)),
        )


def _note(council: Council, minutes: Minutes, row: RankedItem, outcome: str, reason: str) -> str:
    cited = f"{council.name}, minutes v{minutes.version} sha256={minutes.sha256[:16]}"
    if is_departure(row.item.conclusion, outcome):
        return f"{cited}; departure from {row.item.conclusion}: {reason.strip()}"[:5000]
    return cited


def _document(
    session: Session,
    actor: User,
    council: Council,
    meeting: Meeting,
    minutes: Minutes,
    chosen: list[tuple[RankedItem, str, str]],
    number: str,
    render: DecisionRenderer,
    language: str,
) -> CouncilDecision:
    decided_at = utcnow()
    record = decision_record(
        session,
        council=council,
        meeting=meeting,
        minutes=minutes,
        number=number.strip(),
        decided_by=actor,
        decided_at=decided_at,
        lines=chosen,
    )
    pdf = render(record, language)
    decision = CouncilDecision(
        council_id=council.id,
        meeting_id=meeting.id,
        minutes_id=minutes.id,
        number=number.strip(),
        decided_by=actor.id,
        decided_at=decided_at,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    session.add(decision)
    session.flush()
    session.add_all(
        CouncilDecisionLine(
            decision_id=decision.id,
            item_id=r.item.id,
            recommendation=r.item.conclusion or R.NO_CONCLUSION,
            council_rank=r.item.council_rank,
            outcome=outcome,
            departure_reason=reason.strip() if is_departure(r.item.conclusion, outcome) else "",
        )
        for r, outcome, reason in chosen
    )
    departures = sum(is_departure(r.item.conclusion, o) for r, o, _why in chosen)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="council_decision",
        object_id=decision.id,
        action="decide_selection",
        to_state=f"{len(chosen)} items, {departures} departures",
        detail=f"meeting {meeting.id} minutes v{minutes.version} sha256={decision.sha256}",
    )
    session.flush()
    return decision


# --- acceptance and mid-term ---------------------------------------------------------------


def _project_item(session: Session, actor: User, item_id: int, kind: str) -> ItemAccess:
    found = item_access(session, actor=actor, item_id=item_id)
    council, item = found.council, found.item
    if not can_decide_on_council(council, actor, manages=found.manages):
        raise NotAllowed(N_("The fund's managers decide on a council's conclusion."))
    if council.kind != kind or item.award_id is None or item.award_id != council.award_id:
        raise InvalidTransition(N_("This item is not a project's item before such a council."))
    if item.conclusion is None or item.conclusion == R.NO_CONCLUSION:
        raise InvalidTransition(
            N_("The council reached no conclusion on this project: it must deliberate again.")
        )
    return found


def citation(found: ItemAccess, minutes: Minutes) -> str:
    """The council, meeting and signed minutes a closeout follows, for the record."""
    council, meeting = found.council, found.meeting
    formed = f" ({council.formed_by})" if council.formed_by else ""
    day = to_local(meeting.starts_at).strftime("%d/%m/%Y")
    return (
        f"{council.name}{formed}, {day}: {found.item.conclusion}; "
        f"minutes v{minutes.version} sha256={minutes.sha256}"
    )


def _conclusion(found: ItemAccess, minutes: Minutes, typed: str) -> str:
    parts = [citation(found, minutes), found.item.requested_changes.strip(), typed.strip()]
    return "\n".join(p for p in parts if p)[:5000]


def _following_council(session, actor, item_id, evaluation):
    """The acceptance council's item, its signed minutes and the evaluation carrying the
    council's rating and a conclusion citing it (close_from_council, preview_from_council)."""
    found = _project_item(session, actor, item_id, CouncilKind.ACCEPTANCE)
    award_id = found.item.award_id
    assert award_id is not None  # _project_item holds
    if self_evaluation_of(session, award_id) is None:
        raise InvalidTransition(
            N_("The host organisation's self-evaluation comes before the acceptance council.")
        )
    minutes = _signed(session, found.meeting.id)
    evaluation = replace(
        evaluation,
        rating=Rating(found.item.conclusion or ""),  # concluded: _project_item checked
        conclusion=_conclusion(found, minutes, evaluation.conclusion),
    )
    return found, minutes, evaluation


def preview_from_council(
    session: Session, *, actor: User, item_id: int, evaluation: Evaluation
) -> Consequence:
    """What close_from_council would record (refund, outcome and its legal basis, liability,
    mark against future applications), by the same rules, with nothing written."""
    found, _minutes, evaluation = _following_council(session, actor, item_id, evaluation)
    award_id = found.item.award_id
    assert award_id is not None
    return co.preview_closeout(session, actor=actor, award_id=award_id, evaluation=evaluation)


def close_from_council(
    session: Session,
    *,
    actor: User,
    item_id: int,
    evaluation: Evaluation,
    scores: str = "",
    risk_category: str = "",
    expert_opinion: str = "",
    lessons_learned: str = "",
    publish_negative_results: bool = False,
    previewed: str | None = None,
) -> Closeout:
    """Close a project on its acceptance council's concluded item: the rating is the
    council's conclusion (excellent / pass / fail; whatever rating `evaluation` carries is
    replaced), the regime's answers and evidence are the evaluation's, the conclusion cites
    the council, the meeting and the signed minutes. Needs the host's self-evaluation.
    `previewed` is the fingerprint of the outcome the manager was shown (the web pages always
    pass it): the project is closed only if the outcome is still exactly that one."""
    found, minutes, evaluation = _following_council(session, actor, item_id, evaluation)
    award_id = found.item.award_id
    assert award_id is not None  # _project_item holds
    if previewed is not None:
        now = co.preview_closeout(session, actor=actor, award_id=award_id, evaluation=evaluation)
        if now.fingerprint != previewed:
            raise RuleViolation(
                N_(
                    "Preview the outcome before confirming: what you confirm must be the "
                    "refund and consequences you were shown, and these have changed or were "
                    "not shown."
                )
            )
    closeout = co.evaluate_and_close(
        session,
        actor=actor,
        award_id=award_id,
        evaluation=evaluation,
        scores=scores,
        risk_category=risk_category,
        expert_opinion=expert_opinion,
        lessons_learned=lessons_learned,
        publish_negative_results=publish_negative_results,
    )
    _record_project_decision(session, actor, found, minutes, closeout, "close_from_council")
    return closeout


def stop_from_council(
    session: Session,
    *,
    actor: User,
    item_id: int,
    used_vnd: int,
    evaluation: Evaluation,
    risk_category: str = "",
    expert_opinion: str = "",
    lessons_learned: str = "",
    publish_negative_results: bool = False,
) -> Closeout:
    """A mid-term council concluded "stop": the project stops and closes through the closeout
    path under its regime as a task that did not reach its results (rating fail), with the
    funds used so far and the regime's answers and evidence from `evaluation`."""
    found = _project_item(session, actor, item_id, CouncilKind.MIDTERM)
    if found.item.conclusion != R.STOP:
        raise InvalidTransition(N_("The mid-term council did not conclude to stop the project."))
    award_id = found.item.award_id
    assert award_id is not None
    minutes = _signed(session, found.meeting.id)
    co.stop_project(
        session,
        actor=actor,
        award_id=award_id,
        used_vnd=used_vnd,
        reason=citation(found, minutes),
    )
    closeout = co.evaluate_and_close(
        session,
        actor=actor,
        award_id=award_id,
        evaluation=replace(
            evaluation,
            rating=Rating.FAIL,
            conclusion=_conclusion(found, minutes, evaluation.conclusion),
        ),
        risk_category=risk_category,
        expert_opinion=expert_opinion,
        lessons_learned=lessons_learned,
        publish_negative_results=publish_negative_results,
    )
    _record_project_decision(session, actor, found, minutes, closeout, "stop_from_council")
    return closeout


def _record_project_decision(
    session: Session,
    actor: User,
    found: ItemAccess,
    minutes: Minutes,
    closeout: Closeout,
    action: str,
) -> CouncilDecision:
    decision = CouncilDecision(
        council_id=found.council.id,
        meeting_id=found.meeting.id,
        minutes_id=minutes.id,
        decided_by=actor.id,
    )
    session.add(decision)
    session.flush()
    session.add(
        CouncilDecisionLine(
            decision_id=decision.id,
            item_id=found.item.id,
            recommendation=found.item.conclusion or R.NO_CONCLUSION,
            council_rank=found.item.council_rank,
            outcome=closeout.outcome or "",
        )
    )
    audit.record(
        session,
        actor_id=actor.id,
        object_type="council_decision",
        object_id=decision.id,
        action=action,
        to_state=closeout.outcome,
        detail=f"award {found.item.award_id} minutes v{minutes.version} "
        f"sha256={minutes.sha256} refund {closeout.refund_vnd}",
    )
    session.flush()
    return decision
