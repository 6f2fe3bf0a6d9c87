"""Publication use cases: a project's public record, a fund's published fields, API tokens."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from funds import audit
from funds.accounts.models import User
from funds.calls.models import Call, Fund
from funds.clock import utcnow
from funds.errors import N_, NotAllowed, NotFound, RuleViolation
from funds.hosts.models import Host
from funds.projects import services as project_services
from funds.projects.models import Award
from funds.proposals.models import Proposal
from funds.publication import rules
from funds.publication.errors import TokenRefused
from funds.publication.models import ApiToken, PublicationSetting, PublicProject
from funds.publication.permissions import (
    can_create_token,
    can_revoke_token,
    can_set_publication,
    token_may_act,
)

SCOPES = ("restricted_fields", "compliance")  # docs/public.md: what each opens
TOKEN_MAX_DAYS = 366


def _texts(session: Session, award: Award) -> tuple[str, str]:
    proposal = session.get_one(Proposal, award.proposal_id)
    host = session.get(Host, proposal.host_id) if proposal.host_id else None
    pi = session.get_one(User, proposal.pi_id)
    record = session.exec(select(PublicProject).where(PublicProject.award_id == award.id)).first()
    searchable = rules.search_text(
        proposal.title,
        proposal.title_en,
        host.name_vi if host else None,
        host.name_en if host else None,
        record.public_id if record else None,
    )
    return searchable[:2000], rules.search_text(pi.name)[:300]


def publish_award(session: Session, *, award: Award, actor_id: int | None) -> PublicProject:
    """Give a new project its public identifier (fund code, contract year, the fund's next
    number of that year), kept for good; idempotent."""
    found = session.exec(select(PublicProject).where(PublicProject.award_id == award.id)).first()
    if found:
        return found
    proposal = session.get_one(Proposal, award.proposal_id)
    fund = session.get_one(Fund, session.get_one(Call, proposal.call_id).fund_id)
    year = award.contract_date.year
    last = session.exec(
        select(func.max(PublicProject.sequence)).where(
            PublicProject.fund_id == fund.id, PublicProject.year == year
        )
    ).one()
    sequence = (last or 0) + 1
    record = PublicProject(
        award_id=award.id,
        proposal_id=award.proposal_id,
        public_id=rules.public_id(fund.code, year, sequence),
        fund_id=fund.id,
        year=year,
        sequence=sequence,
    )
    session.add(record)
    session.flush()
    record.search_text, record.pi_text = _texts(session, award)
    audit.record(
        session,
        actor_id=actor_id,
        object_type="award",
        object_id=award.id,
        action="publish",
        detail=record.public_id,
    )
    session.flush()
    return record


def publish_missing(session: Session) -> int:
    """Public records for awards made before this feature (flask public refresh), in the order
    they were made; and the search texts of every record refreshed (names change)."""
    done = 0
    have = select(PublicProject.award_id)
    for award in session.exec(
        select(Award).where(col(Award.id).not_in(have)).order_by(col(Award.id))
    ).all():
        publish_award(session, award=award, actor_id=None)
        done += 1
    for record in session.exec(select(PublicProject)).all():
        award = session.get_one(Award, record.award_id)
        record.search_text, record.pi_text = _texts(session, award)
    session.flush()
    return done


def set_public_fields(
    session: Session, *, actor: User, fund_id: int, fields: Iterable[str]
) -> PublicationSetting:
    """The fund's managers choose which optional fields the public sees (audited)."""
    fund = session.get(Fund, fund_id)
    if fund is None:
        raise NotFound(N_("No such fund."))
    if not can_set_publication(actor, fund):
        raise NotAllowed(N_("Only the fund's managers can change what it publishes."))
    row = session.exec(
        select(PublicationSetting).where(PublicationSetting.fund_id == fund_id)
    ).first() or PublicationSetting(fund_id=fund_id)
    before = row.public_fields if row.id else rules.stored_fields(rules.DEFAULT_FIELDS)
    row.public_fields, row.updated_at = rules.stored_fields(fields), utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="fund",
        object_id=fund_id,
        action="publication",
        from_state=before,
        to_state=row.public_fields,
    )
    return row


def hash_token(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def create_token(
    session: Session, *, actor: User, fund_id: int, name: str, scope: str, days: int
) -> tuple[ApiToken, str]:
    """A new token for one fund and scope, acting as the fund's manager; the plain token is
    returned once and only its hash is kept."""
    fund = session.get(Fund, fund_id)
    if fund is None or not can_create_token(actor, fund):
        raise NotAllowed(N_("Only the fund's managers can create its tokens."))
    if scope not in SCOPES or not 1 <= days <= TOKEN_MAX_DAYS or not name.strip():
        raise RuleViolation(N_("Give a name, a scope and a validity of 1 to 366 days."))
    plain = "rdf_" + secrets.token_urlsafe(32)
    token = ApiToken(
        token_hash=hash_token(plain),
        prefix=plain[:10],
        name=name.strip()[:120],
        owner_id=actor.id,
        fund_id=fund_id,
        role="manager",
        scope=scope,
        expires_at=utcnow() + timedelta(days=days),
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="api_token",
        object_id=token.id,
        action="create",
        detail=f"{token.prefix}… fund {fund_id} {scope}",
    )
    return token, plain


def revoke_token(session: Session, *, actor: User, token_id: int) -> ApiToken:
    """The token stops working at once (audited); revoking twice changes nothing."""
    token = session.get(ApiToken, token_id)
    if token is None or not can_revoke_token(actor, token):
        raise NotFound(N_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(
            session,
            actor_id=actor.id,
            object_type="api_token",
            object_id=token.id,
            action="revoke",
            detail=token.prefix,
        )
        session.flush()
    return token


def authenticate_token(session: Session, plain: str, *, now: datetime | None = None) -> ApiToken:
    """The live token for this bearer value, or TokenRefused (unknown, expired, revoked, or
    its owner no longer manages the fund)."""
    now = now or utcnow()
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(plain))).first()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        raise TokenRefused(N_("The token is unknown, expired or revoked."))
    owner, fund = session.get(User, token.owner_id), session.get(Fund, token.fund_id)
    if owner is None or fund is None or not token_may_act(owner, fund):
        raise TokenRefused(N_("The token's owner no longer manages its fund."))
    return token


def _on_award_created(session: Session, award: Award, actor_id: int | None) -> None:
    publish_award(session, award=award, actor_id=actor_id)


if _on_award_created not in project_services.award_created:
    project_services.award_created.append(_on_award_created)
