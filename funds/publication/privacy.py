"""The publication feature's personal data: API tokens belong to their owner. An erasure
revokes and deletes them (a token is a credential, not a record the fund must keep); the
audit log keeps that they existed."""

from sqlalchemy import delete
from sqlmodel import Session, col, select

from funds.errors import N_
from funds.privacy.registry import DataPart, ErasurePlan, Record, register_part
from funds.publication.models import ApiToken


def _tokens(session: Session, user) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).where(ApiToken.owner_id == user.id)).all())


def _export(session: Session, user) -> dict:
    return {
        "api_tokens": [
            {"name": t.name, "prefix": t.prefix, "fund_id": t.fund_id, "scope": t.scope}
            for t in _tokens(session, user)
        ]
    }


def _deleted(session: Session, user) -> list[Record]:
    found = _tokens(session, user)
    return [Record("account", N_("API tokens"), str(len(found)))] if found else []


def _erase(session: Session, plan: ErasurePlan) -> None:
    session.execute(delete(ApiToken).where(col(ApiToken.owner_id) == plan.user.id))


register_part(
    DataPart(
        name="api_tokens",
        order=40,
        export=_export,
        deleted=_deleted,
        erase=_erase,
        tables=("api_token",),
    )
)
