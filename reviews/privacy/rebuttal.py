"""The responses' and the lotteries' part of personal-data rights. An applicant's responses
to the reviews are part of their submitted proposals' record, read by the council: exported,
and kept on erasure like the submitted proposal (they name the author by account number
only, the account itself being pseudonymised). A lottery is the fund's record of a decision
(staff by account number): kept as it is."""

from sqlmodel import Session, select

from funds.accounts.models import User
from funds.errors import N_
from funds.privacy.queries import row
from funds.privacy.registry import DataPart, Record, register_part
from reviews.rebuttal.models import Rebuttal


def _responses(session: Session, user: User) -> list[Rebuttal]:
    return list(session.exec(select(Rebuttal).where(Rebuttal.author_id == user.id)).all())


def export(session: Session, user: User) -> dict:
    """The person's responses to the reviews of their proposals."""
    return {
        "responses_to_reviews": [
            row(r, ("proposal_id", "text", "submitted_at")) for r in _responses(session, user)
        ]
    }


def kept(session: Session, user: User) -> list[Record]:
    sent = _responses(session, user)
    if not sent:
        return []
    return [
        Record("submitted", N_("Responses to the reviews of submitted proposals"), str(len(sent)))
    ]


register_part(
    DataPart(name="rebuttals", order=13, export=export, kept=kept, tables=("rebuttal", "lottery"))
)
