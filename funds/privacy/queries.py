"""Reads about one person: consent, and their rows in the funds tables as plain values.

Rows are shaped for the person's own export: every reference to another person (a
manager's id, a co-investigator's name, a reviewer's identity) is left out.
"""

from datetime import date, datetime

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from funds.accounts.models import User
from funds.audit.models import AuditEntry
from funds.calls.models import Call
from funds.consent.queries import consent_events
from funds.privacy.models import Erasure
from funds.profiles.models import CoInvestigator, Profile, Publication
from funds.projects.models import (
    Award,
    AwardBudgetLine,
    AwardStatus,
    ChangeRequest,
    Closeout,
    CouncilMember,
    Milestone,
    Output,
    ProgressReport,
)
from funds.projects.money.models import Movement
from funds.proposals.models import (
    Attachment,
    BudgetLine,
    CounterpartFunding,
    Decision,
    Proposal,
    Submission,
    WorkPackage,
)

PROPOSAL_FIELDS = (
    "id",
    "call_id",
    "title",
    "title_en",
    "abstract",
    "keywords",
    "area_code",
    "requested_vnd",
    "status",
    "trl_now",
    "trl_target",
    "duration_months",
    "publications_planned",
    "patents_planned",
    "prototypes_planned",
    "commercialisation_plan",
    "created_at",
    "updated_at",
    "submitted_at",
)


def plain(value):
    """A JSON-ready value: instants and dates as ISO 8601 text."""
    return value.isoformat() if isinstance(value, (datetime, date)) else value


def row(obj, fields) -> dict:
    return {f: plain(getattr(obj, f)) for f in fields}


def rows(session: Session, statement, fields) -> list[dict]:
    return [row(o, fields) for o in session.exec(statement).all()]


def erasure_of(session: Session, user_id: int) -> Erasure | None:
    return session.exec(select(Erasure).where(Erasure.user_id == user_id)).first()


def proposals_of(session: Session, user_id: int) -> list[Proposal]:
    return list(
        session.exec(
            select(Proposal).where(Proposal.pi_id == user_id).order_by(col(Proposal.id))
        ).all()
    )


def submission_counts(session: Session, proposal_ids: list[int]) -> dict[int, int]:
    found = session.exec(
        select(Submission.proposal_id, func.count())
        .where(col(Submission.proposal_id).in_(proposal_ids))
        .group_by(col(Submission.proposal_id))
    ).all()
    return dict(found)


def active_contracts(session: Session, user_id: int) -> list[str]:
    """Contract numbers of the person's running projects (as principal investigator)."""
    return list(
        session.exec(
            select(Award.contract_number)
            .join(Proposal, col(Proposal.id) == Award.proposal_id)
            .where(Proposal.pi_id == user_id, Award.status == AwardStatus.ACTIVE)
            .order_by(col(Award.id))
        ).all()
    )


def account_rows(session: Session, user: User) -> dict:
    """The account without its password hash or session token; the consent history."""
    account = row(
        user,
        (
            "id",
            "email",
            "name",
            "institution",
            "orcid",
            "locale",
            "is_active",
            "created_at",
            "consent_at",
            "consent_version",
        ),
    )
    account["roles"] = sorted(user.roles)
    profile = session.exec(select(Profile).where(Profile.user_id == user.id)).first()
    return {
        "account": account,
        "consents": [
            row(e, ("kind", "version", "source", "at")) for e in consent_events(session, user.id)
        ],
        "profile": row(profile, ("title", "position", "cv", "updated_at")) if profile else None,
        "publications": rows(
            session,
            select(Publication).where(Publication.user_id == user.id).order_by(col(Publication.id)),
            ("title", "authors", "year", "venue", "doi", "created_at"),
        ),
    }


def _proposal(session: Session, p: Proposal) -> dict:
    pid = p.id
    out = row(p, PROPOSAL_FIELDS)
    out["call_title"] = session.get_one(Call, p.call_id).title
    out["work_packages"] = rows(
        session,
        select(WorkPackage)
        .where(WorkPackage.proposal_id == pid)
        .order_by(col(WorkPackage.position)),
        ("task", "due_month", "deliverable"),
    )  # owners are other people's names
    out["budget_lines"] = rows(
        session,
        select(BudgetLine).where(BudgetLine.proposal_id == pid),
        ("category", "fiscal_year", "amount_vnd"),
    )
    out["counterparts"] = rows(
        session,
        select(CounterpartFunding).where(CounterpartFunding.proposal_id == pid),
        ("source", "amount_vnd"),
    )
    out["team_size"] = session.exec(
        select(func.count()).where(CoInvestigator.proposal_id == pid)
    ).one()  # the members' own data is theirs
    out["attachments"] = rows(
        session,
        select(Attachment).where(Attachment.proposal_id == pid),
        ("kind", "original_name", "size_bytes", "sha256", "uploaded_at"),
    )
    out["submissions"] = rows(
        session,
        select(Submission)
        .where(Submission.proposal_id == pid)
        .order_by(col(Submission.version_no)),
        ("version_no", "receipt_no", "sha256", "status", "submitted_at"),
    )
    decision = session.exec(select(Decision).where(Decision.proposal_id == pid)).first()
    out["decision"] = row(decision, ("outcome", "note", "decided_at")) if decision else None
    return out


def proposal_rows(session: Session, user: User) -> dict:
    """Proposals as PI, and memberships of other proposals' teams (without their PI)."""
    memberships = session.exec(
        select(CoInvestigator, Proposal)
        .join(Proposal, col(Proposal.id) == CoInvestigator.proposal_id)
        .where(or_(col(CoInvestigator.user_id) == user.id, col(CoInvestigator.email) == user.email))
    ).all()
    return {
        "proposals": [_proposal(session, p) for p in proposals_of(session, user.id)],
        "team_memberships": [
            row(m, ("name", "email", "institution", "role", "effort_pct", "confirmed_at"))
            | {"proposal_id": p.id, "proposal_title": p.title, "proposal_status": p.status}
            for m, p in memberships
        ],
    }


def _project(session: Session, award: Award) -> dict:
    aid = award.id
    out = row(
        award,
        (
            "proposal_id",
            "contract_number",
            "contract_date",
            "start_date",
            "end_date",
            "funding_mode",
            "status",
            "change_reason",
            "quality_indicators",
        ),
    )
    out["budget_lines"] = rows(
        session,
        select(AwardBudgetLine).where(AwardBudgetLine.award_id == aid),
        ("category", "fiscal_year", "source", "amount_vnd"),
    )
    out["milestones"] = rows(
        session,
        select(Milestone).where(Milestone.award_id == aid),
        ("task", "due_date", "deliverable", "status", "outcome"),
    )
    out["payments"] = rows(
        session,
        select(Movement).where(Movement.award_id == aid),
        ("kind", "amount_vnd", "fiscal_year", "status", "paid_at"),
    )
    out["progress_reports"] = rows(
        session,
        select(ProgressReport).where(ProgressReport.award_id == aid),
        (
            "due_date",
            "status",
            "progress",
            "spending_vnd",
            "risks",
            "manager_comment",
            "submitted_at",
        ),
    )
    out["change_requests"] = rows(
        session,
        select(ChangeRequest).where(ChangeRequest.award_id == aid),
        ("kind", "reason", "extension_days", "status", "requested_on", "decided_at"),
    )
    out["outputs"] = rows(
        session,
        select(Output).where(Output.award_id == aid),
        (
            "kind",
            "title",
            "year",
            "international",
            "reference",
            "value_vnd",
            "evidence",
            "created_at",
        ),
    )
    closeout = session.exec(select(Closeout).where(Closeout.award_id == aid)).first()
    out["closeout"] = (
        row(
            closeout,
            (
                "final_report",
                "final_report_at",
                "used_vnd",
                "rating",
                "outcome",
                "refund_vnd",
                "basis",
                "lessons_learned",
                "closed_at",
            ),
        )
        if closeout
        else None
    )
    return out


def project_rows(session: Session, user: User) -> dict:
    """Funded projects as PI; acceptance councils the person sits on."""
    awards = session.exec(
        select(Award)
        .join(Proposal, col(Proposal.id) == Award.proposal_id)
        .where(Proposal.pi_id == user.id)
        .order_by(col(Award.id))
    ).all()
    councils = session.exec(
        select(Award.contract_number)
        .join(CouncilMember, col(CouncilMember.award_id) == Award.id)
        .where(CouncilMember.user_id == user.id)
    ).all()
    return {
        "projects": [_project(session, a) for a in awards],
        "council_memberships": [{"contract_number": c} for c in councils],
    }


def audit_statement(user_id: int):
    """Entries the person made, and entries about their account."""
    return (
        select(AuditEntry)
        .where(
            or_(
                col(AuditEntry.actor_id) == user_id,
                (col(AuditEntry.object_type) == "user") & (AuditEntry.object_id == user_id),
            )
        )
        .order_by(col(AuditEntry.id))
    )


def audit_rows(session: Session, user: User) -> dict:
    """Another actor is shown as "staff", never by account number."""
    entries = session.exec(audit_statement(user.id)).all()
    return {
        "audit_entries": [
            row(e, ("at", "object_type", "object_id", "action", "from_state", "to_state", "detail"))
            | {"by": "you" if e.actor_id == user.id else "staff"}
            for e in entries
        ]
    }


def audit_count(session: Session, user_id: int) -> int:
    return session.exec(select(func.count()).select_from(audit_statement(user_id).subquery())).one()
