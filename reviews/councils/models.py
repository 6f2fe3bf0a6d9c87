"""A council, its members' seats and each fund's composition and decision rules.

The rules are data per fund and kind, each naming its legal instrument: Circular
20/2023/TT-BKHCN (selection councils of 7–9 members: chair, vice-chair, scientific secretary,
two reviewer members and others), and the usual ministry practice of a quorum of two thirds
of the members including the chair and the secretary, conclusions passing with more than
three quarters of the members present (docs/councils.md; defaults in reviews/councils/rules.py).
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.states import one_of
from funds.types import instant_field


class CouncilKind(StrEnum):
    SELECTION = "selection"  # hội đồng tư vấn tuyển chọn / xét chọn, for a call
    MIDTERM = "midterm"  # mid-term inspection of a project: continue / adjust / stop
    ACCEPTANCE = "acceptance"  # hội đồng nghiệm thu, for a project
    STANDING = "standing"  # a standing scientific committee per discipline, members by term


class CouncilRole(StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    SECRETARY = "secretary"  # the scientific secretary (thư ký khoa học)
    REVIEWER_MEMBER = "reviewer_member"  # ủy viên phản biện
    MEMBER = "member"


class Represents(StrEnum):
    NONE = "none"
    ORDERING_BODY = "ordering_body"  # a representative of the body that orders the task
    ENTERPRISE = "enterprise"


class CouncilStatus(StrEnum):
    FORMING = "forming"  # members being appointed; no meeting may open
    ACTIVE = "active"
    DISSOLVED = "dissolved"


class BallotKind(StrEnum):
    SECRET = "secret"
    OPEN = "open"


class SheetKind(StrEnum):
    """The kinds of council whose rating sheets use the fund's own criteria (a selection
    council rates on the call's rubric)."""

    ACCEPTANCE = "acceptance"
    MIDTERM = "midterm"


class CouncilCriterion(SQLModel, table=True):
    """One of a fund's criteria for acceptance or mid-term rating sheets, in the shape of a
    rubric's Criterion. A fund without rows of a kind uses the built-in defaults
    (reviews/councils/criteria/rules.py); an item keeps the criteria its sheets were scored
    on (MeetingItem.sheet_criteria), so an edit never changes a sheet already filled."""

    __tablename__ = "council_criterion"
    __table_args__ = (
        CheckConstraint(one_of(SheetKind, "kind"), name="ck_council_criterion_kind"),
        CheckConstraint("weight > 0", name="ck_council_criterion_weight"),
        CheckConstraint("scale_max >= 2 AND scale_max <= 100", name="ck_council_criterion_scale"),
        CheckConstraint(
            "threshold >= 0 AND threshold <= scale_max", name="ck_council_criterion_threshold"
        ),
    )

    id: int = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    kind: str = Field(max_length=12)
    position: int = Field(default=0)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    weight: int = Field(default=1)
    scale_max: int = Field(default=5)
    threshold: int = Field(default=0)
    basis: str = Field(default="", max_length=300)  # the legal basis or the fund's own rule


class CouncilRules(SQLModel, table=True):
    """A fund's rules for one kind of council. A fund without a row uses the defaults."""

    __tablename__ = "council_rules"
    __table_args__ = (
        UniqueConstraint("fund_id", "kind"),
        CheckConstraint(one_of(CouncilKind, "kind"), name="ck_council_rules_kind"),
        CheckConstraint(one_of(BallotKind, "ballot"), name="ck_council_rules_ballot"),
        CheckConstraint(
            "min_members >= 1 AND max_members >= min_members", name="ck_council_rules_size"
        ),
        CheckConstraint(
            "quorum_den > 0 AND quorum_num > 0 AND quorum_num <= quorum_den "
            "AND pass_den > 0 AND pass_num > 0 AND pass_num <= pass_den",
            name="ck_council_rules_fractions",
        ),
    )

    id: int = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    kind: str = Field(max_length=12)
    min_members: int = Field(default=7)
    max_members: int = Field(default=9)
    required_roles: str = Field(default="", max_length=200)  # "chair,secretary,reviewer_member*2"
    quorum_num: int = Field(default=2)
    quorum_den: int = Field(default=3)
    quorum_needs_chair: bool = Field(default=True)
    quorum_needs_secretary: bool = Field(default=True)
    pass_num: int = Field(default=3)
    pass_den: int = Field(default=4)
    pass_strict: bool = Field(default=True)  # True: more than pass_num/pass_den of those voting
    ballot: str = Field(default=BallotKind.SECRET, max_length=8)
    min_average_pct: int | None = Field(default=None)  # the members' mean score, % of maximum
    criterion_minimums: bool = Field(default=True)  # no criterion mean below its threshold
    sheets_after_close: bool = Field(default=True)  # members see others' sheets only then
    term_years: int = Field(default=3)  # standing committees
    max_consecutive_terms: int = Field(default=2)
    instrument_code: str | None = Field(
        default=None, foreign_key="legal_instrument.code", max_length=60
    )
    article: str = Field(default="", max_length=120)
    updated_at: datetime = instant_field(now=True)
    updated_by: int | None = Field(default=None, foreign_key="user.id")


class Council(SQLModel, table=True):
    """A council for a call (selection), a project (mid-term, acceptance) or a discipline
    (standing), formed by a decision of the fund."""

    __table_args__ = (
        CheckConstraint(one_of(CouncilKind, "kind"), name="ck_council_kind"),
        CheckConstraint(one_of(CouncilStatus), name="ck_council_status"),
        CheckConstraint(
            "(kind = 'selection' AND call_id IS NOT NULL) "
            "OR (kind IN ('midterm', 'acceptance') AND award_id IS NOT NULL) "
            "OR (kind = 'standing' AND discipline <> '')",
            name="ck_council_subject",
        ),
    )

    id: int = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    kind: str = Field(max_length=12)
    name: str = Field(max_length=300)
    call_id: int | None = Field(default=None, foreign_key="call.id", index=True)
    award_id: int | None = Field(default=None, foreign_key="award.id", index=True)
    discipline: str = Field(default="", max_length=200)
    formed_by: str = Field(default="", max_length=200)  # the fund's decision: number and date
    formed_on: date | None = Field(default=None)
    instrument_code: str | None = Field(
        default=None, foreign_key="legal_instrument.code", max_length=60
    )
    status: str = Field(default=CouncilStatus.FORMING, max_length=12)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = instant_field(now=True)


class CouncilSeat(SQLModel, table=True):
    """A member's seat on a council with their role; standing committees have terms."""

    __tablename__ = "council_seat"
    __table_args__ = (
        UniqueConstraint("council_id", "user_id"),
        CheckConstraint(one_of(CouncilRole, "role"), name="ck_council_seat_role"),
        CheckConstraint(one_of(Represents, "represents"), name="ck_council_seat_represents"),
        CheckConstraint(
            "term_end IS NULL OR term_start IS NULL OR term_end > term_start",
            name="ck_council_seat_term",
        ),
    )

    id: int = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    role: str = Field(max_length=16)
    represents: str = Field(default=Represents.NONE, max_length=16)
    term_start: date | None = Field(default=None)
    term_end: date | None = Field(default=None)
    eligibility_override: str = Field(default="", max_length=2000)  # the manager's reason
    confidentiality_accepted_at: datetime | None = instant_field(nullable=True)
    active: bool = Field(default=True)
    appointed_by: int = Field(foreign_key="user.id")
    appointed_at: datetime = instant_field(now=True)
