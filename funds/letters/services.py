"""Use cases of decision letters: a new version of the fund's template, the check of a
manager's selection, and issuing the selected letters — each numbered from the fund's yearly
sequence, its text filled in once and hashed, audited (object `decision_letter`), and the
applicant told by the decision's notification (required: always e-mailed)."""

import hashlib
from collections.abc import Sequence
from typing import NoReturn

from sqlmodel import Session

from funds import audit, sequences
from funds.accounts.models import User
from funds.calls.models import Call, Fund
from funds.clock import to_local, utcnow
from funds.errors import N_, NotFound, RuleViolation
from funds.letters import queries, rules
from funds.letters.models import DecisionLetter, LetterSequence, LetterTemplate
from funds.letters.permissions import can_issue_letters
from funds.notifications.services import notify
from funds.rules import Violation


def _refuse(found: Sequence[Violation]) -> NoReturn:
    raise RuleViolation(found[0].message, found, **found[0].params)


def _managed_fund(session: Session, actor: User, fund_id: int) -> Fund:
    fund = session.get(Fund, fund_id)
    if fund is None or not can_issue_letters(actor, fund):
        raise NotFound(N_("No such fund."))
    return fund


def managed_call(session: Session, actor: User, call_id: int) -> Call:
    """The call if this user manages its fund; otherwise NotFound."""
    call = session.get(Call, call_id)
    if call is None or not can_issue_letters(actor, call.fund):
        raise NotFound(N_("No such call."))
    return call


def save_template(
    session: Session,
    *,
    actor: User,
    fund_id: int,
    body: str,
    body_not_funded: str,
    issuer: str = "",
    place: str = "",
    signatory_name: str = "",
    signatory_title: str = "",
    note: str = "",
) -> LetterTemplate:
    """A new version of the fund's letter; letters issued earlier keep the text they had."""
    fund = _managed_fund(session, actor, fund_id)
    found = rules.template_violations(body, body_not_funded)
    if found:
        _refuse(found)
    latest = queries.latest_template(session, fund.id)
    template = LetterTemplate(
        fund_id=fund.id,
        version=(latest.version if latest else 0) + 1,
        issuer=issuer.strip(),
        place=place.strip(),
        signatory_name=signatory_name.strip(),
        signatory_title=signatory_title.strip(),
        body=body.replace("\r\n", "\n"),
        body_not_funded=body_not_funded.replace("\r\n", "\n"),
        note=note.strip(),
        created_by=actor.id,
    )
    session.add(template)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="letter_template",
        object_id=template.id,
        action="create",
        to_state=f"v{template.version}",
        detail=f"fund {fund.id}; {template.note}"[:4000],
    )
    session.flush()
    return template


def check(
    session: Session, *, actor: User, call_id: int, decision_ids: Sequence[int]
) -> rules.SendCheck:
    """What sending the selected letters would do (shown before the manager confirms)."""
    call = managed_call(session, actor, call_id)
    rows = queries.decisions_of_call(session, call.id)
    return rules.check_selection(queries.candidates(rows), decision_ids, call.budget_vnd)


def _notice_params(row: queries.DecisionRow, number: str, call: Call) -> dict:
    """The decision notification's parameters; a shortlisting invites to the full stage by
    its deadline."""
    params: dict = {"title": row.proposal.title, "number": number}
    if row.decision.outcome == "shortlisted":
        params["closes_at"] = call.full_closes_at
    return params


def send_decisions(
    session: Session, *, actor: User, call_id: int, decision_ids: Sequence[int]
) -> list[DecisionLetter]:
    """Issue the selected decisions' letters, after the same check the manager was shown."""
    call = managed_call(session, actor, call_id)
    rows = queries.decisions_of_call(session, call.id)
    found = rules.check_selection(queries.candidates(rows), decision_ids, call.budget_vnd)
    if not found.ok:
        _refuse(found.problems)
    by_id = {r.decision.id: r for r in rows}
    template = queries.latest_template(session, call.fund_id)
    now = utcnow()
    table = LetterSequence.__table__  # type: ignore[attr-defined]
    issued = []
    for candidate in found.selected:
        row = by_id[candidate.decision_id]
        n = sequences.next_number(session, table, fund_id=call.fund_id, year=to_local(now).year)
        number = rules.letter_number(call.fund.code, to_local(now).year, n)
        body = rules.fill(
            queries.text_for(template, row.decision.outcome),
            queries.values_for(session, row.decision, row.proposal, number=number, when=now),
        )
        letter = DecisionLetter(
            decision_id=row.decision.id,
            number=number,
            amount_vnd=candidate.amount_vnd,
            template_version=template.version if template else None,
            issuer=template.issuer if template else "",
            fund_name=call.fund.name,
            place=template.place if template else "",
            signatory_name=template.signatory_name if template else "",
            signatory_title=template.signatory_title if template else "",
            body=body,
            sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
            issued_by=actor.id,
            issued_at=now,
        )
        session.add(letter)
        session.flush()
        audit.record(
            session,
            actor_id=actor.id,
            object_type="decision_letter",
            object_id=letter.id,
            action="issue",
            to_state=row.decision.outcome,
            detail=f"{number}; proposal {row.proposal.id}; sha256 {letter.sha256}",
        )
        notify(
            session,
            kind=f"decision_{row.decision.outcome}",
            user_id=row.proposal.pi_id,
            object_type="proposal",
            object_id=row.proposal.id,
            params=_notice_params(row, number, call),
            actor_id=actor.id,
        )
        issued.append(letter)
    session.flush()
    return issued
