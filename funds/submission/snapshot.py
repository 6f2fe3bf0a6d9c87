"""The content of a submitted version, as plain JSON-ready values."""

from sqlmodel import Session, col, select

from funds.accounts.models import User
from funds.calls.models import Call
from funds.hosts.models import Host
from funds.profiles.models import Profile, Publication
from funds.proposals import sections
from funds.proposals.eligibility import budget_totals
from funds.proposals.models import Proposal

PROPOSAL_FIELDS = (
    "id",
    "title",
    "title_en",
    "abstract",
    "keywords",
    "area_code",
    "trl_now",
    "trl_target",
    "duration_months",
    "requested_vnd",
    "publications_planned",
    "patents_planned",
    "prototypes_planned",
    "commercialisation_plan",
    "stage",  # two-stage calls: outline | full, and a full proposal's pre-proposal
    "outline_id",
)


def _pi(session: Session, user_id: int) -> dict:
    user = session.get_one(User, user_id)
    profile = session.exec(select(Profile).where(Profile.user_id == user_id)).first()
    pubs = session.exec(
        select(Publication)
        .where(Publication.user_id == user_id)
        .order_by(col(Publication.year).desc())
    ).all()
    return {
        "name": user.name,
        "email": user.email,
        "institution": user.institution,
        "orcid": user.orcid,
        "title": profile.title if profile else "",
        "position": profile.position if profile else "",
        "cv": profile.cv if profile else "",
        "publications": [
            {"title": p.title, "authors": p.authors, "year": p.year, "venue": p.venue, "doi": p.doi}
            for p in pubs
        ],
    }


def _budget(session: Session, proposal_id: int) -> dict:
    lines = sections.budget_lines(session, proposal_id)
    totals = budget_totals(lines)
    return {
        "lines": [{"category": c, "year": y, "amount_vnd": a} for c, y, a in lines],
        "direct_vnd": totals.direct_vnd,
        "indirect_vnd": totals.indirect_vnd,
        "total_vnd": totals.total_vnd,
        "by_year": {str(k): v for k, v in sorted(totals.by_year.items())},
        "counterparts": [
            {"source": c.source, "amount_vnd": c.amount_vnd}
            for c in sections.counterparts(session, proposal_id)
        ],
    }


def _host(session: Session, proposal: Proposal, call: Call) -> dict | None:
    """The host organisation as registered when the version was submitted, and whether the
    call asks for its endorsement (given later, on its own record: funds.hosts)."""
    host = session.get(Host, proposal.host_id) if proposal.host_id else None
    if host is None:
        return None
    return {
        "id": host.id,
        "name_vi": host.name_vi,
        "name_en": host.name_en,
        "tax_code": host.tax_code,
        "address": host.address,
        "line_agency": host.line_agency,
        "endorsement_required": bool(call.requires_endorsement),
    }


def build_snapshot(session: Session, proposal: Proposal, call: Call, *, version_no: int) -> dict:
    """Everything the fund received in this version, including the files' SHA-256."""
    pid = proposal.id
    return {
        "version_no": version_no,
        "submitted_at": proposal.submitted_at.isoformat() if proposal.submitted_at else None,
        "call": {"id": call.id, "title": call.title, "closes_at": call.closes_at.isoformat()},
        "proposal": {name: getattr(proposal, name) for name in PROPOSAL_FIELDS},
        "pi": _pi(session, proposal.pi_id),
        "host": _host(session, proposal, call),
        "team": [
            {
                "name": m.name,
                "email": m.email,
                "institution": m.institution,
                "role": m.role,
                "effort_pct": m.effort_pct,
                "confirmed": m.confirmed_at is not None,
            }
            for m in sections.team(session, pid)
        ],
        "work_packages": [
            {
                "owner": w.owner,
                "task": w.task,
                "due_month": w.due_month,
                "deliverable": w.deliverable,
            }
            for w in sections.work_packages(session, pid)
        ],
        "budget": _budget(session, pid),
        "attachments": [
            {
                "kind": a.kind,
                "name": a.original_name,
                "size_bytes": a.size_bytes,
                "sha256": a.sha256,
            }
            for a in sections.attachments(session, pid)
        ],
    }
