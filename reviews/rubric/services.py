"""Rubrics and rubric-based reviews."""

from sqlmodel import Session, col, select

from funds import audit
from funds.accounts.models import User
from funds.calls.services import get_call_for_manager
from funds.errors import N_, NotFound, RuleViolation
from funds.proposals.services import get_proposal_for_manager
from reviews.assignment.models import AssignmentStatus, Review, ReviewAssignment, ReviewStatus
from reviews.assignment.rules import ASSIGNMENT, REVIEW
from reviews.rubric.models import Criterion, CriterionAnchor, CriterionScore, Rubric
from reviews.rubric.rules import CriterionRule, anchor_violations

DEFAULT_CRITERIA = [  # name, description, weight, scale, threshold
    (N_("Scientific merit"), N_("Novelty, soundness and significance of the research."), 3, 5, 3),
    (N_("Feasibility"), N_("Work plan, milestones, budget and risks."), 2, 5, 2),
    (
        N_("Impact and commercialisation"),
        N_("Outputs, users, partners and path to market."),
        2,
        5,
        2,
    ),
    (N_("Team"), N_("Track record and effort of the team."), 1, 5, 2),
]

# What each level of the default 0–5 scales means. Anchors are the fund's own words, stored
# as typed (not translated): the defaults are in the fund's language, Vietnamese, and a fund
# edits them with the rubric. One tuple per default criterion, levels 0 to 5.
DEFAULT_ANCHORS = (
    (
        "Không đánh giá được: hồ sơ không nêu nội dung khoa học.",
        "Rất yếu: không mới, phương pháp sai hoặc không có ý nghĩa khoa học.",
        "Yếu: ít mới, phương pháp có lỗ hổng lớn.",
        "Đạt: có đóng góp mới, phương pháp phù hợp, còn thiếu sót nhỏ.",
        "Tốt: mới rõ ràng, phương pháp chặt chẽ, ý nghĩa đáng kể.",
        "Xuất sắc: đột phá, phương pháp mẫu mực, tầm quốc tế.",
    ),
    (
        "Không đánh giá được: không có kế hoạch hoặc dự toán.",
        "Rất yếu: kế hoạch và dự toán không khả thi.",
        "Yếu: tiến độ hoặc dự toán thiếu cơ sở, rủi ro chưa được tính đến.",
        "Đạt: kế hoạch, mốc và dự toán hợp lý; rủi ro nêu được nhưng xử lý còn sơ sài.",
        "Tốt: kế hoạch rõ, mốc đo được, dự toán sát, rủi ro có phương án xử lý.",
        "Xuất sắc: kế hoạch chi tiết, dự toán chặt chẽ, rủi ro được quản lý đầy đủ.",
    ),
    (
        "Không đánh giá được: không nêu sản phẩm hay người sử dụng.",
        "Rất yếu: sản phẩm mơ hồ, không có người sử dụng.",
        "Yếu: sản phẩm nêu chung chung, đường ứng dụng chưa rõ.",
        "Đạt: sản phẩm cụ thể, có người sử dụng tiềm năng, kế hoạch thương mại hoá sơ bộ.",
        "Tốt: sản phẩm đo được, có đối tác hoặc vốn đối ứng, lộ trình ra thị trường rõ.",
        "Xuất sắc: đối tác cam kết, thị trường xác định, tác động lớn và đo được.",
    ),
    (
        "Không đánh giá được: không có thông tin về nhóm.",
        "Rất yếu: nhóm thiếu chuyên môn cần thiết.",
        "Yếu: thiếu kinh nghiệm hoặc thời gian tham gia quá ít.",
        "Đạt: nhóm đủ chuyên môn chính, thời gian tham gia hợp lý.",
        "Tốt: nhóm có thành tích tốt, phân công rõ ràng.",
        "Xuất sắc: nhóm hàng đầu, thành tích nổi bật, bổ sung nhau đầy đủ.",
    ),
)


def rubric_for_call(session: Session, call_id: int) -> Rubric | None:
    return session.exec(select(Rubric).where(Rubric.call_id == call_id)).first()


def criteria_of(session: Session, rubric: Rubric) -> list[Criterion]:
    return list(
        session.exec(
            select(Criterion)
            .where(Criterion.rubric_id == rubric.id)
            .order_by(col(Criterion.position), col(Criterion.id))
        ).all()
    )


def rules_of(criteria: list[Criterion]) -> list[CriterionRule]:
    return [CriterionRule(c.id, c.name, c.weight, c.scale_max, c.threshold) for c in criteria]


def _managed_rubric(session: Session, actor: User, rubric_id: int) -> Rubric:
    """The rubric if the actor manages its call's fund; otherwise NotFound."""
    rubric = session.get(Rubric, rubric_id)
    if rubric is None:
        raise NotFound(N_("No such rubric."))
    get_call_for_manager(session, call_id=rubric.call_id, actor=actor)
    return rubric


def create_default_rubric(session: Session, *, actor: User, call_id: int) -> Rubric:
    """Give a call the default rubric (editable afterwards); the fund's managers only."""
    get_call_for_manager(session, call_id=call_id, actor=actor)
    if rubric_for_call(session, call_id):
        raise RuleViolation(N_("This call already has a rubric."))
    rubric = Rubric(call_id=call_id)
    session.add(rubric)
    session.flush()
    for i, (name, desc, weight, scale, threshold) in enumerate(DEFAULT_CRITERIA):
        criterion = Criterion(
            rubric_id=rubric.id,
            position=i,
            name=name,
            description=desc,
            weight=weight,
            scale_max=scale,
            threshold=threshold,
        )
        session.add(criterion)
        session.flush()
        for level, text in enumerate(DEFAULT_ANCHORS[i]):
            session.add(CriterionAnchor(criterion_id=criterion.id, level=level, text=text))
    audit.record(
        session,
        actor_id=actor.id,
        object_type="rubric",
        object_id=rubric.id,
        action="create",
        detail=f"call {call_id}",
    )
    session.flush()
    return rubric


def update_rubric(
    session: Session,
    *,
    actor: User,
    rubric_id: int,
    total_threshold: int,
    show_others_after_submit: bool,
    per_proposal: int,
    blind: bool | None = None,
) -> Rubric:
    """Change the call's total threshold, visibility rule, reviewers per proposal and, when
    given, whether the review is blind."""
    rubric = _managed_rubric(session, actor, rubric_id)
    if not 0 <= total_threshold <= 100 or not 1 <= per_proposal <= 20:
        raise RuleViolation(N_("Thresholds go from 0 to 100; 1 to 20 reviewers per proposal."))
    rubric.total_threshold, rubric.show_others_after_submit, rubric.per_proposal = (
        total_threshold,
        show_others_after_submit,
        per_proposal,
    )
    if blind is not None:
        rubric.blind = blind
    session.add(rubric)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="rubric",
        object_id=rubric.id,
        action="update",
        detail=f"threshold {total_threshold}, blind {rubric.blind}",
    )
    session.flush()
    return rubric


def add_criterion(
    session: Session,
    *,
    actor: User,
    rubric_id: int,
    name: str,
    description: str,
    weight: int,
    scale_max: int,
    threshold: int,
) -> Criterion:
    """Add a criterion while no review has been scored against the rubric."""
    rubric = _managed_rubric(session, actor, rubric_id)
    if not (weight > 0 and 2 <= scale_max <= 100 and 0 <= threshold <= scale_max):
        raise RuleViolation(
            N_("Weights are positive; scales go from 2 to 100; a threshold lies within the scale.")
        )
    position = len(criteria_of(session, rubric))
    criterion = Criterion(
        rubric_id=rubric.id,
        position=position,
        name=name.strip(),
        description=description.strip(),
        weight=weight,
        scale_max=scale_max,
        threshold=threshold,
    )
    session.add(criterion)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="rubric",
        object_id=rubric.id,
        action="add_criterion",
        detail=name[:200],
    )
    return criterion


def anchors_of(session: Session, criteria: list[Criterion]) -> dict[int, dict[int, str]]:
    """Each criterion's level descriptions: {criterion id: {level: text}}."""
    ids = [c.id for c in criteria]
    found: dict[int, dict[int, str]] = {cid: {} for cid in ids}
    if ids:
        for a in session.exec(
            select(CriterionAnchor).where(col(CriterionAnchor.criterion_id).in_(ids))
        ):
            found[a.criterion_id][a.level] = a.text
    return found


def set_anchors(
    session: Session, *, actor: User, criterion_id: int, texts: dict[int, str]
) -> dict[int, str]:
    """Describe the levels of a criterion's scale (one text per level; an empty text removes
    that level's description); the fund's managers only."""
    criterion = session.get(Criterion, criterion_id)
    if criterion is None:
        raise NotFound(N_("No such criterion."))
    _managed_rubric(session, actor, criterion.rubric_id)
    violations = anchor_violations(criterion.scale_max, texts)
    if violations:
        raise RuleViolation(violations[0].message, violations, **violations[0].params)
    existing = {
        a.level: a
        for a in session.exec(
            select(CriterionAnchor).where(CriterionAnchor.criterion_id == criterion.id)
        )
    }
    for level, text in texts.items():
        row = existing.get(level)
        if not text.strip():
            if row is not None:
                session.delete(row)
            continue
        row = row or CriterionAnchor(criterion_id=criterion.id, level=level, text="")
        row.text = text.strip()
        session.add(row)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="rubric",
        object_id=criterion.rubric_id,
        action="set_anchors",
        detail=f"criterion {criterion.id}",
    )
    session.flush()
    return anchors_of(session, [criterion])[criterion.id]


def scores_of(session: Session, review: Review | None) -> dict[int, CriterionScore]:
    if review is None or review.id is None:
        return {}
    rows = session.exec(select(CriterionScore).where(CriterionScore.review_id == review.id))
    return {r.criterion_id: r for r in rows.all()}


def reopen_review(session: Session, *, actor: User, assignment_id: int) -> Review:
    """Only a manager of the fund reopens a submitted review; the reviewer may then change it."""
    assignment = session.get(ReviewAssignment, assignment_id)
    if assignment is None:
        raise NotFound(N_("No such review assignment."))
    get_proposal_for_manager(session, proposal_id=assignment.proposal_id, actor=actor)
    ASSIGNMENT.check(
        assignment.status, AssignmentStatus.ASSIGNED, N_("Only a submitted review can be reopened.")
    )
    review = session.exec(select(Review).where(Review.assignment_id == assignment.id)).one()
    REVIEW.move(review, ReviewStatus.DRAFT, N_("Only a submitted review can be reopened."))
    ASSIGNMENT.move(assignment, AssignmentStatus.ASSIGNED)
    session.add_all([review, assignment])
    audit.record(
        session,
        actor_id=actor.id,
        object_type="review_assignment",
        object_id=assignment.id,
        action="reopen_review",
        from_state=AssignmentStatus.SUBMITTED,
        to_state=AssignmentStatus.ASSIGNED,
    )
    session.flush()
    return review
