"""The reviews tables' part of personal-data rights: what a reviewer's export holds, what
an erasure deletes (profile, bids, affinities, open work) and keeps (submitted reviews and
conflict declarations, the evidence of a fair selection). Registered on import."""

from sqlalchemy import delete, or_
from sqlmodel import Session, col, select

from funds import audit
from funds.accounts.models import User
from funds.errors import N_
from funds.privacy.queries import row, rows
from funds.privacy.registry import DataPart, ErasurePlan, Record, register_part
from funds.privacy.rules import pseudonym_email, pseudonym_name
from reviews.assignment.models import AssignmentStatus, Review, ReviewAssignment, ReviewStatus
from reviews.assignment.rules import ASSIGNMENT
from reviews.invitations.models import Invitation
from reviews.pool.models import (
    AffinityScore,
    Bid,
    ConflictDeclaration,
    PairConstraint,
    ReviewerProfile,
)
from reviews.rubric.models import Criterion, CriterionScore


def _reviews_written(session: Session, user_id: int) -> list[dict]:
    found = []
    for review, assignment in session.exec(
        select(Review, ReviewAssignment)
        .join(ReviewAssignment, col(ReviewAssignment.id) == Review.assignment_id)
        .where(ReviewAssignment.reviewer_id == user_id)
        .order_by(col(Review.id))
    ).all():
        out = row(
            review, ("score", "total_bp", "comment", "status", "updated_at", "submitted_at")
        ) | {"proposal_id": assignment.proposal_id}
        out["criterion_scores"] = [
            {"criterion": c.name, "score": s.score, "comment": s.comment}
            for s, c in session.exec(
                select(CriterionScore, Criterion)
                .join(Criterion, col(Criterion.id) == CriterionScore.criterion_id)
                .where(CriterionScore.review_id == review.id)
            ).all()
        ]
        found.append(out)
    return found


def export(session: Session, user: User) -> dict:
    """The reviewer's own rows; the other reviewers and the proposals' people are left out."""
    uid = user.id
    profile = session.exec(select(ReviewerProfile).where(ReviewerProfile.user_id == uid)).first()
    return {
        "reviewer_profile": row(
            profile,
            (
                "keywords",
                "areas",
                "languages",
                "max_load",
                "available",
                "confidentiality_accepted_at",
            ),
        )
        if profile
        else None,
        "bids": rows(session, select(Bid).where(Bid.reviewer_id == uid), ("proposal_id", "level")),
        "conflict_declarations": rows(
            session,
            select(ConflictDeclaration).where(ConflictDeclaration.reviewer_id == uid),
            ("proposal_id", "has_conflict", "reason", "declared_at"),
        ),
        "review_assignments": rows(
            session,
            select(ReviewAssignment).where(ReviewAssignment.reviewer_id == uid),
            ("proposal_id", "status", "assigned_at"),
        ),
        "reviews": _reviews_written(session, uid),
        "affinity_scores": rows(
            session,
            select(AffinityScore).where(AffinityScore.reviewer_id == uid),
            ("proposal_id", "score", "adjusted"),
        ),
        "pair_constraints": rows(
            session,
            select(PairConstraint).where(PairConstraint.reviewer_id == uid),
            ("proposal_id", "value", "reason"),
        ),
        "invitations": rows(
            session,
            select(Invitation).where(_invitations_of(user)),
            ("email", "name", "created_at", "accepted_at"),
        ),
    }


def _invitations_of(user: User):
    return or_(col(Invitation.user_id) == user.id, col(Invitation.email) == user.email)


def _open_assignments(session: Session, user_id: int) -> list[ReviewAssignment]:
    return list(
        session.exec(
            select(ReviewAssignment).where(
                ReviewAssignment.reviewer_id == user_id,
                ReviewAssignment.status == AssignmentStatus.ASSIGNED,
            )
        ).all()
    )


def deleted(session: Session, user: User) -> list[Record]:
    found = []
    if session.exec(select(ReviewerProfile).where(ReviewerProfile.user_id == user.id)).first():
        found.append(Record("profile", N_("Reviewer profile (keywords, areas, load)")))
    bids = session.exec(select(Bid).where(Bid.reviewer_id == user.id)).all()
    if bids:
        found.append(Record("profile", N_("Bids"), str(len(bids))))
    open_work = _open_assignments(session, user.id)
    if open_work:
        found.append(
            Record(
                "profile",
                N_("Open review assignments (declined) and their draft reviews"),
                str(len(open_work)),
            )
        )
    return found


def kept(session: Session, user: User) -> list[Record]:
    submitted = session.exec(
        select(ReviewAssignment.proposal_id)
        .join(Review, col(Review.assignment_id) == ReviewAssignment.id)
        .where(ReviewAssignment.reviewer_id == user.id, Review.status == ReviewStatus.SUBMITTED)
    ).all()
    declared = session.exec(
        select(ConflictDeclaration).where(ConflictDeclaration.reviewer_id == user.id)
    ).all()
    found = [Record("submitted", N_("Submitted reviews"), str(len(submitted)))] if submitted else []
    if declared:
        found.append(
            Record("submitted", N_("Conflict-of-interest declarations"), str(len(declared)))
        )
    return found


def erase(session: Session, plan: ErasurePlan) -> None:
    """Delete the reviewer's pool data and open work; pseudonymise invitations; rows about
    the person's deleted drafts go too."""
    uid, drafts = plan.user.id, plan.draft_ids
    for assignment in _open_assignments(session, uid):
        review = session.exec(select(Review).where(Review.assignment_id == assignment.id)).first()
        if review is not None:
            session.execute(
                delete(CriterionScore).where(col(CriterionScore.review_id) == review.id)
            )
            session.delete(review)
        before = ASSIGNMENT.move(assignment, AssignmentStatus.DECLINED)
        audit.record(
            session,
            actor_id=plan.actor.id,
            object_type="review_assignment",
            object_id=assignment.id,
            action="decline",
            from_state=before,
            to_state=AssignmentStatus.DECLINED,
            detail="personal data erased",
        )
        session.add(assignment)
    for model in (Bid, AffinityScore, PairConstraint):
        session.execute(
            delete(model).where(
                or_(col(model.reviewer_id) == uid, col(model.proposal_id).in_(drafts))
            )
        )
    session.execute(delete(ReviewerProfile).where(col(ReviewerProfile.user_id) == uid))
    for invitation in session.exec(select(Invitation).where(_invitations_of(plan.user))).all():
        invitation.name, invitation.email = pseudonym_name(plan.tag), pseudonym_email(plan.tag)
        invitation.token_hash = f"erased-{plan.tag}-{invitation.id}"  # no link opens it
        session.add(invitation)
    session.flush()


register_part(
    DataPart(
        name="reviews",
        order=10,
        export=export,
        deleted=deleted,
        kept=kept,
        erase=erase,
        tables=(
            "reviewer_profile",
            "bid",
            "conflict_declaration",
            "affinity_score",
            "pair_constraint",
            "review_assignment",
            "invitation",
            # acts of fund staff, kept as the fund's records
            "consensus_report",
            "funding_override",
            "overlap_flag",  # a manager's decision on a pair (reviews.overlap)
        ),
    )
)
