"""Proposals: drafting, submission, withdrawal and the funding decision."""

from datetime import datetime
from functools import lru_cache

from sqlalchemy import bindparam, insert, literal, update
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from funds import audit
from funds.accounts.models import Role, User
from funds.audit.models import AuditEntry
from funds.calls.models import Call
from funds.calls.rules import Stage, stage_is_open
from funds.calls.services import call_rules
from funds.clock import utcnow
from funds.consent.services import require_consent_to_propose
from funds.errors import (
    N_,
    CallClosed,
    NotAllowed,
    NotFound,
    RuleViolation,
    StaleEdit,
)
from funds.hosts.queries import endorsement_ok
from funds.hosts.services import check_host_choice
from funds.profiles.models import Profile
from funds.proposals.models import (
    BudgetLine,
    CounterpartFunding,
    Decision,
    DecisionOutcome,
    Proposal,
    ProposalStatus,
    WorkPackage,
)
from funds.proposals.permissions import (
    can_decide,
    can_edit_proposal,
    can_manage_proposal,
    can_view_proposal,
    pi_may_edit,
)
from funds.proposals.rules import PROPOSAL, stage_outcome
from funds.proposals.sections import replace_sections
from funds.rules import Violation, check_amount
from funds.types import table_of

EDITABLE_FIELDS = (
    "title",
    "abstract",
    "area_code",
    "requested_vnd",
    "title_en",
    "keywords",
    "trl_now",
    "trl_target",
    "duration_months",
    "publications_planned",
    "patents_planned",
    "prototypes_planned",
    "commercialisation_plan",
    "host_id",
)
SECTION_KEYS = ("work_packages", "budget_lines", "counterparts")
TEXT_LIMITS = {
    "title": 300,
    "title_en": 300,
    "abstract": 20000,
    "keywords": 500,
    "prototypes_planned": 2000,
    "commercialisation_plan": 10000,
}


def get_proposal_for(session: Session, *, proposal_id: int, actor: User) -> Proposal:
    """The proposal if this user may see it; otherwise NotFound, so existence is not leaked."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or not can_view_proposal(proposal, actor):
        raise NotFound(N_("No such proposal."))
    return proposal


def get_proposal_for_manager(session: Session, *, proposal_id: int, actor: User) -> Proposal:
    """The proposal if the actor manages its fund and it has been submitted; otherwise
    NotFound (another fund's proposals, and every draft, stay unseen)."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or not can_manage_proposal(proposal, actor):
        raise NotFound(N_("No such proposal."))
    return proposal


def move(session: Session, proposal: Proposal, target: str, *, actor: User, action: str) -> None:
    before = PROPOSAL.move(
        proposal,
        target,
        N_("A %(status)s proposal cannot be %(target)s."),
        status=proposal.status,
        target=target,
    )
    audit.record(
        session,
        actor_id=actor.id,
        object_type="proposal",
        object_id=proposal.id,
        action=action,
        from_state=before,
        to_state=target,
    )
    proposal.updated_at = utcnow()


def field_violations(values: dict) -> list[Violation]:
    """Shape rules of the summary fields: lengths, TRL 1–9, months and counts in range."""
    found = list(check_amount(values["requested_vnd"])) if "requested_vnd" in values else []
    for name, limit in TEXT_LIMITS.items():
        if len(values.get(name) or "") > limit:
            found.append(Violation(name, N_("At most %(limit)s characters."), {"limit": limit}))
    for name in ("trl_now", "trl_target"):
        if values.get(name) is not None and not 1 <= values[name] <= 9:
            found.append(Violation(name, N_("Readiness levels run from 1 to 9.")))
    if values.get("duration_months") is not None and not 1 <= values["duration_months"] <= 600:
        found.append(Violation("duration_months", N_("Give the duration in months (1–600).")))
    for name in ("publications_planned", "patents_planned"):
        if values.get(name) is not None and not 0 <= values[name] <= 10000:
            found.append(Violation(name, N_("Give a count between 0 and 10,000.")))
    return found


def _check_fields(values: dict) -> None:
    violations = field_violations(values)
    if violations:
        raise RuleViolation(violations[0].message, violations, **violations[0].params)


def _stored(values: dict) -> dict:
    """The summary fields as they are stored: blanks normalised, titles trimmed."""
    stored = {}
    for name in EDITABLE_FIELDS:
        if name in values:
            value = values[name]
            if name == "area_code":
                value = value or None
            elif name in TEXT_LIMITS and value is None:
                value = ""
            elif name in ("publications_planned", "patents_planned") and value is None:
                value = 0
            stored[name] = value.strip() if name in ("title", "title_en") else value
    return stored


def _assign(proposal: Proposal, values: dict) -> None:
    for name, value in _stored(values).items():
        setattr(proposal, name, value)


def create_draft(
    session: Session,
    *,
    actor: User,
    call_id: int,
    title: str,
    abstract: str = "",
    area_code: str | None = None,
    requested_vnd: int = 0,
    now: datetime | None = None,
    copied_from_id: int | None = None,
    outline_id: int | None = None,
    **values,
) -> Proposal:
    """An applicant starts a proposal to an open call (`now` is for back-dated imports); in a
    two-stage call, a pre-proposal, or with `outline_id` the full proposal of a shortlisted
    one (funds.stages.services.start_full_proposal checks the invitation first)."""
    if not actor.has_role(Role.APPLICANT):
        raise NotAllowed(N_("Only applicants can write proposals."))
    require_consent_to_propose(session, actor=actor)
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(N_("No such call."))
    now = now or utcnow()
    stage = _stage_of_new(session, call, actor, outline_id)
    if not stage_is_open(call_rules(session, call), stage, now):
        if stage == Stage.FULL and call.two_stage:
            raise CallClosed(
                N_(
                    "The deadline for full proposals was %(closes_at)s; a full proposal can no "
                    "longer be started."
                ),
                closes_at=call.full_closes_at,
            )
        raise CallClosed(N_("This call is not open for proposals."))
    values.update(title=title, abstract=abstract, area_code=area_code, requested_vnd=requested_vnd)
    _check_fields(values)
    if "host_id" not in values:  # the host named on the PI's profile, by default
        values["host_id"] = session.exec(
            select(Profile.host_id).where(Profile.user_id == actor.id)
        ).first()
    check_host_choice(session, actor=actor, host_id=values["host_id"])
    proposal = Proposal(
        call_id=call.id,
        pi_id=actor.id,
        title="",
        created_at=now,
        updated_at=now,
        copied_from_id=copied_from_id,
        stage=stage,
        outline_id=outline_id,
    )
    _assign(proposal, values)
    session.add(proposal)
    session.flush()
    replace_sections(session, proposal, {k: values[k] for k in SECTION_KEYS if k in values})
    audit.record(
        session,
        actor_id=actor.id,
        object_type="proposal",
        object_id=proposal.id,
        action="create",
        to_state=ProposalStatus.DRAFT,
    )
    session.flush()
    return proposal


def _stage_of_new(session: Session, call: Call, actor: User, outline_id: int | None) -> Stage:
    """The stage of a new draft: a two-stage call's proposals start as pre-proposals; a full
    proposal follows the applicant's own shortlisted pre-proposal of the same call, once."""
    if outline_id is None:
        return Stage.OUTLINE if call.two_stage else Stage.FULL
    outline = session.get(Proposal, outline_id)
    if (
        outline is None
        or outline.pi_id != actor.id
        or outline.call_id != call.id
        or outline.stage != Stage.OUTLINE
    ):
        raise NotFound(N_("No such proposal."))
    if outline.status != ProposalStatus.SHORTLISTED:
        raise NotAllowed(
            N_("Only a shortlisted pre-proposal is invited to submit a full proposal.")
        )
    if session.exec(select(Proposal.id).where(Proposal.outline_id == outline_id)).first():
        raise RuleViolation(N_("The full proposal of this pre-proposal has already been started."))
    return Stage.FULL


def update_draft(
    session: Session, *, actor: User, proposal_id: int, expected_version: int, values: dict
) -> Proposal:
    """Save a draft; a save based on an older version is refused, never overwrites."""
    proposal = get_proposal_for(session, proposal_id=proposal_id, actor=actor)
    if not can_edit_proposal(proposal, actor):
        raise NotAllowed(N_("Only the principal investigator can edit a draft."))
    if proposal.version_id != expected_version:
        raise StaleEdit(N_("Someone saved this proposal after you opened it."))
    _check_fields(values)
    if "host_id" in values and values["host_id"] != proposal.host_id:
        check_host_choice(session, actor=actor, host_id=values["host_id"])
    _assign(proposal, values)
    replace_sections(session, proposal, {k: values[k] for k in SECTION_KEYS if k in values})
    proposal.updated_at = utcnow()
    session.add(proposal)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="proposal",
        object_id=proposal.id,
        action="save",
        detail=",".join(sorted(values)),
    )
    try:
        session.flush()
    except StaleDataError as exc:
        raise StaleEdit(N_("Someone saved this proposal after you opened it.")) from exc
    return proposal


@lru_cache(maxsize=128)
def _summary_update(columns: tuple[str, ...]):
    """The conditional UPDATE of these summary columns, built once per set of columns."""
    t, u = table_of(Proposal), table_of(User)
    active = select(u.c.is_active).where(u.c.id == bindparam("p_pi")).scalar_subquery()
    return (
        update(t)
        .where(
            t.c.id == bindparam("p_id"),
            t.c.version_id == bindparam("p_version"),
            pi_may_edit(t.c.pi_id, t.c.status, bindparam("p_pi"), active),
        )
        .values(
            {c: bindparam(f"v_{c}", type_=t.c[c].type) for c in columns}
            | {
                "updated_at": bindparam("v_updated_at", type_=t.c.updated_at.type),
                "version_id": t.c.version_id + 1,
            }
        )
        .returning(t.c.version_id, t.c.requested_vnd)
    )


@lru_cache(maxsize=128)
def _summary_update_audited(columns: tuple[str, ...]):
    """PostgreSQL: the same UPDATE and its audit row in one statement (a data-modifying
    WITH; the row is logged only if the UPDATE matched), one round trip fewer."""
    saved = _summary_update(columns).cte("saved")
    a = table_of(AuditEntry)
    logged = (
        insert(a)
        .from_select(
            ["at", "actor_id", "object_type", "object_id", "action", "detail"],
            select(
                bindparam("v_updated_at", type_=a.c.at.type),  # type: ignore[call-overload]
                bindparam("p_pi", type_=a.c.actor_id.type),
                literal("proposal", a.c.object_type.type),
                bindparam("p_id", type_=a.c.object_id.type),
                literal("save", a.c.action.type),
                bindparam("a_detail", type_=a.c.detail.type),
            ).select_from(saved),
        )
        .cte("logged")
    )
    return select(saved.c.version_id, saved.c.requested_vnd).add_cte(logged)


def save_summary(
    session: Session, *, actor_id: int, proposal_id: int, expected_version: int, values: dict
):
    """The autosave path: one conditional UPDATE of the summary fields, and its audit entry.

    The row is changed only if the actor may edit it (the edit rule pi_may_edit, as SQL) and
    it is at the expected version (optimistic locking in the WHERE clause). Returns the saved
    (version_id, requested_vnd), or None when nothing matched; the caller then asks
    update_draft, which says precisely why (no such proposal, not editable, or a stale
    version). Sections are not touched here.
    """
    if not values or any(k in values for k in (*SECTION_KEYS, "host_id")):
        raise ValueError("save_summary saves summary fields only (the host is checked)")
    _check_fields(values)
    stored = _stored(values)
    columns = tuple(sorted(stored))
    detail = ",".join(sorted(values))
    params = {f"v_{k}": v for k, v in stored.items()} | {
        "p_id": proposal_id,
        "p_pi": actor_id,
        "p_version": expected_version,
        "v_updated_at": utcnow(),
    }
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(
            _summary_update_audited(columns), params | {"a_detail": detail}
        ).one_or_none()
    changed = session.execute(_summary_update(columns), params).one_or_none()
    if changed is not None:
        audit.record(
            session,
            actor_id=actor_id,
            object_type="proposal",
            object_id=proposal_id,
            action="save",
            detail=detail,
        )
        session.flush()
    return changed


def record_decision(
    session: Session, *, actor: User, proposal_id: int, outcome: str, note: str = ""
) -> Decision:
    """A manager decides: funded or not funded (a pre-proposal: shortlisted or not)."""
    proposal = get_proposal_for(session, proposal_id=proposal_id, actor=actor)
    if not can_decide(proposal, actor):
        raise NotAllowed(N_("Only fund managers can decide on a submitted proposal."))
    decided = stage_outcome(proposal.stage, outcome)
    if decided is None:
        raise RuleViolation(N_("A full proposal is funded or not funded, never shortlisted."))
    outcome = decided
    if outcome == DecisionOutcome.FUNDED and not endorsement_ok(session, proposal.id):
        raise RuleViolation(
            N_(
                "«%(title)s» cannot be funded: its host organisation has not endorsed the "
                "submitted version, as the call requires."
            ),
            title=proposal.title,
        )
    target = ProposalStatus(outcome.value)  # each outcome names the status it leads to
    move(session, proposal, target, actor=actor, action="decide")
    decision = Decision(
        proposal_id=proposal.id, outcome=outcome, note=note.strip(), decided_by=actor.id
    )
    session.add_all([proposal, decision])
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="decision",
        object_id=decision.id,
        action="create",
        to_state=outcome,
    )
    # The applicant is told when the decision's letter is issued (funds.letters.services).
    return decision


def copy_proposal(session: Session, *, actor: User, proposal_id: int, call_id: int) -> Proposal:
    """Start a new draft in an open call as a copy of one of the PI's earlier proposals."""
    source = get_proposal_for(session, proposal_id=proposal_id, actor=actor)
    if source.pi_id != actor.id:
        raise NotFound(N_("No such proposal."))
    values = copied_values(session, source)
    return create_draft(session, actor=actor, call_id=call_id, copied_from_id=source.id, **values)


def copied_values(session: Session, source: Proposal) -> dict:
    """A proposal's summary fields and sections, as create_draft takes them for a copy."""
    values = {name: getattr(source, name) for name in EDITABLE_FIELDS}
    pid = source.id
    values["work_packages"] = [
        {"owner": w.owner, "task": w.task, "due_month": w.due_month, "deliverable": w.deliverable}
        for w in session.exec(
            select(WorkPackage)
            .where(WorkPackage.proposal_id == pid)
            .order_by(col(WorkPackage.position))
        )
    ]
    values["budget_lines"] = [
        (b.category, b.fiscal_year, b.amount_vnd)
        for b in session.exec(select(BudgetLine).where(BudgetLine.proposal_id == pid))
    ]
    values["counterparts"] = [
        (c.source, c.amount_vnd, c.fiscal_year)
        for c in session.exec(
            select(CounterpartFunding).where(CounterpartFunding.proposal_id == pid)
        )
    ]
    if not values["budget_lines"]:  # an outline's envelope: the requested amount stays as is
        del values["budget_lines"]
    return values
