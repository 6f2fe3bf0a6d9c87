"""Reads of decision letters: the fund's current template (or the built-in text), the
decisions of a call with their letters, and a letter as it reads — the issued one, or a
draft filled from the current template for the managers to check before sending."""

from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files

from sqlmodel import Session, col, select

from funds.accounts.models import User
from funds.calls.models import Call, Fund
from funds.clock import to_local, utcnow
from funds.letters import rules
from funds.letters.models import DecisionLetter, LetterTemplate
from funds.proposals.models import Decision, DecisionOutcome, Proposal

BUILTIN = {
    "funded": "decision_letter_funded_vi.txt",
    "not_funded": "decision_letter_not_funded_vi.txt",
    # a two-stage call's pre-proposals (docs/two-stage.md): the built-in texts only
    "shortlisted": "decision_letter_shortlisted_vi.txt",
    "not_shortlisted": "decision_letter_not_shortlisted_vi.txt",
}
STAGE_OUTCOMES = ("shortlisted", "not_shortlisted")


def builtin_text(outcome: str) -> str:
    """The built-in Vietnamese text of a letter, used by a fund without its own template."""
    return (files("funds") / "data" / BUILTIN[outcome]).read_text(encoding="utf-8")


def text_for(template: LetterTemplate | None, outcome: str) -> str:
    """The text a decision's letter is filled from: the fund's template for funding
    decisions, the built-in text for a pre-proposal's shortlisting (or without a template)."""
    if template is None or outcome in STAGE_OUTCOMES:
        return builtin_text(outcome)
    return template.body if outcome == DecisionOutcome.FUNDED else template.body_not_funded


def latest_template(session: Session, fund_id: int) -> LetterTemplate | None:
    return session.exec(
        select(LetterTemplate)
        .where(LetterTemplate.fund_id == fund_id)
        .order_by(col(LetterTemplate.version).desc())
    ).first()


def templates_of(session: Session, fund_id: int) -> list[LetterTemplate]:
    return list(
        session.exec(
            select(LetterTemplate)
            .where(LetterTemplate.fund_id == fund_id)
            .order_by(col(LetterTemplate.version).desc())
        ).all()
    )


def letter_of(session: Session, decision_id: int) -> DecisionLetter | None:
    return session.exec(
        select(DecisionLetter).where(DecisionLetter.decision_id == decision_id)
    ).first()


@dataclass(frozen=True)
class DecisionRow:
    decision: Decision
    proposal: Proposal
    pi: User
    letter: DecisionLetter | None

    @property
    def funded(self) -> bool:
        return self.decision.outcome == DecisionOutcome.FUNDED


def decisions_of_call(session: Session, call_id: int) -> list[DecisionRow]:
    """Every decision of the call, funded first, by title, with its letter if issued."""
    rows = session.exec(
        select(Decision, Proposal, User)
        .join(Proposal, col(Proposal.id) == Decision.proposal_id)
        .join(User, col(User.id) == Proposal.pi_id)
        .where(Proposal.call_id == call_id)
    ).all()
    letters = {
        letter.decision_id: letter
        for letter in session.exec(
            select(DecisionLetter).where(
                col(DecisionLetter.decision_id).in_([d.id for d, _p, _u in rows])
            )
        ).all()
    }
    found = [DecisionRow(d, p, u, letters.get(d.id)) for d, p, u in rows]
    return sorted(found, key=lambda r: (not r.funded, r.proposal.title.casefold()))


def candidates(rows: list[DecisionRow]) -> list[rules.Candidate]:
    return [
        rules.Candidate(
            decision_id=r.decision.id,
            title=r.proposal.title,
            funded=r.funded,
            amount_vnd=r.proposal.requested_vnd if r.funded else 0,
            issued=r.letter is not None,
            shortlisting=r.decision.outcome if r.decision.outcome in STAGE_OUTCOMES else None,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class LetterView:
    """Everything the letter's page shows: letterhead, number, date, text, signature."""

    number: str
    issued_at: datetime
    issuer: str
    fund_name: str
    place: str
    signatory_name: str
    signatory_title: str
    body: str
    amount_vnd: int
    funded: bool
    draft: bool
    sha256: str = ""


def values_for(
    session: Session, decision: Decision, proposal: Proposal, *, number: str, when: datetime
) -> dict[str, str]:
    """The placeholders' values for this decision's letter."""
    call = session.get(Call, proposal.call_id)
    fund = session.get(Fund, call.fund_id) if call else None
    pi = session.get(User, proposal.pi_id)
    funded = decision.outcome == DecisionOutcome.FUNDED
    deadline = call.full_closes_at if call else None
    return {
        "full_deadline": to_local(deadline).strftime("%H:%M %d/%m/%Y") if deadline else "",
        "letter_number": number,
        "letter_date": to_local(when).strftime("%d/%m/%Y"),
        "fund_name": fund.name if fund else "",
        "call_title": call.title if call else "",
        "project_title": proposal.title,
        "pi_name": pi.name if pi else "",
        "host_name": proposal.host.name_vi if proposal.host else (pi.institution if pi else ""),
        "amount_vnd": rules.vnd_digits(proposal.requested_vnd if funded else 0),
        "duration_months": str(proposal.duration_months or ""),
        "note": decision.note,
    }


def letter_view(session: Session, decision: Decision, proposal: Proposal) -> LetterView:
    """The issued letter as it was sent; before that, a draft from the current template."""
    funded = decision.outcome == DecisionOutcome.FUNDED
    issued = letter_of(session, decision.id)
    if issued is not None:
        return LetterView(
            number=issued.number,
            issued_at=issued.issued_at,
            issuer=issued.issuer,
            fund_name=issued.fund_name,
            place=issued.place,
            signatory_name=issued.signatory_name,
            signatory_title=issued.signatory_title,
            body=issued.body,
            amount_vnd=issued.amount_vnd,
            funded=funded,
            draft=False,
            sha256=issued.sha256,
        )
    call = session.get(Call, proposal.call_id)
    fund = session.get(Fund, call.fund_id) if call else None
    template = latest_template(session, fund.id) if fund else None
    now = utcnow()
    body = rules.fill(
        text_for(template, decision.outcome),
        values_for(session, decision, proposal, number="…", when=now),
    )
    return LetterView(
        number="",
        issued_at=now,
        issuer=template.issuer if template else "",
        fund_name=fund.name if fund else "",
        place=template.place if template else "",
        signatory_name=template.signatory_name if template else "",
        signatory_title=template.signatory_title if template else "",
        body=body,
        amount_vnd=proposal.requested_vnd if funded else 0,
        funded=funded,
        draft=True,
    )
