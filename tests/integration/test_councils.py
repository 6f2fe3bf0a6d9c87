"""Forming councils on a real database (both backends): composition under the fund's rules
(Circular 20/2023/TT-BKHCN by default), eligibility warnings overridden only with a reason
(audited), the terms of standing committees (at most two consecutive, NAFOSTED), the fund's
rules kept with their legal basis, and who sees a council."""

from datetime import date
from fractions import Fraction

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.errors import InvalidTransition, NotFound, RuleViolation
from reviews.councils import services as councils
from reviews.councils.errors import CompositionIncomplete, EligibilityWarnings
from reviews.councils.models import CouncilStatus
from reviews.councils.queries import rule_spec
from reviews.councils.rules import DEFAULTS
from tests.councils_data import expert, selection_council


def test_a_council_short_of_its_roles_cannot_be_activated(make, session):
    council, _seats, _ = selection_council(
        make,
        session,
        roles=("chair", "secretary", "reviewer_member", "member", "member"),
        activate=False,
    )
    problems = councils.composition(session, council)
    assert {(v.message, tuple(sorted(v.params.items()))) for v in problems} == {
        (
            "A council of this kind has %(min)s to %(max)s members; it has %(count)s.",
            (("count", 5), ("max", 9), ("min", 7)),
        ),
        (
            "The council needs %(count)s member(s) in the role %(role)s.",
            (("count", 2), ("role", "reviewer_member")),
        ),
    }
    with pytest.raises(CompositionIncomplete) as refused:
        councils.activate_council(session, actor=make.manager(), council_id=council.id)
    assert len(refused.value.violations) == 2
    for role in ("reviewer_member", "vice_chair"):
        member = expert(make, session)
        councils.appoint_member(
            session, actor=make.manager(), council_id=council.id, user_id=member.id, role=role
        )
    councils.activate_council(session, actor=make.manager(), council_id=council.id)
    assert council.status == CouncilStatus.ACTIVE
    with pytest.raises(InvalidTransition):
        councils.activate_council(session, actor=make.manager(), council_id=council.id)


def test_a_council_has_one_chair(make, session):
    council, _seats, _ = selection_council(make, session, activate=False)
    other = expert(make, session)
    with pytest.raises(RuleViolation) as refused:
        councils.appoint_member(
            session, actor=make.manager(), council_id=council.id, user_id=other.id, role="chair"
        )
    assert refused.value.violations[0].field == "role"


def test_an_eligibility_warning_is_overridden_only_with_a_reason_and_audited(make, session):
    council, _, _ = selection_council(make, session, roles=("chair",), activate=False)
    newcomer = expert(make, session, title="", name="Chuyên gia mới")
    with pytest.raises(EligibilityWarnings) as refused:
        councils.appoint_member(
            session,
            actor=make.manager(),
            council_id=council.id,
            user_id=newcomer.id,
            role="member",
        )
    assert [v.message for v in refused.value.violations] == [
        "Doctorate or professorship: unknown (no title on the profile).",
        "Publications in the last five years: unknown (none listed).",
    ]
    seat = councils.appoint_member(
        session,
        actor=make.manager(),
        council_id=council.id,
        user_id=newcomer.id,
        role="member",
        represents="enterprise",
        override_reason="Đại diện doanh nghiệp đặt hàng, kinh nghiệm 20 năm",
    )
    session.commit()
    assert seat.eligibility_override == "Đại diện doanh nghiệp đặt hàng, kinh nghiệm 20 năm"
    entry = session.exec(
        select(AuditEntry).where(
            AuditEntry.object_type == "council_seat", AuditEntry.object_id == seat.id
        )
    ).one()
    assert entry.action == "appoint"
    assert "Đại diện doanh nghiệp đặt hàng" in entry.detail


def test_an_eligible_member_needs_no_reason_and_keeps_none(make, session):
    _council, seats, _ = selection_council(make, session, roles=("chair",), activate=False)
    assert seats[0].eligibility_override == ""


def test_a_third_consecutive_term_on_a_standing_committee_is_refused(make, session):
    fund, manager = make.fund(), make.manager()
    member = expert(make, session)
    terms = [date(2019, 1, 1), date(2022, 1, 1), date(2025, 1, 1)]
    committees = [
        councils.create_council(
            session,
            actor=manager,
            fund_id=fund.id,
            kind="standing",
            name=f"Hội đồng ngành Toán {start.year}",
            discipline="Toán học",
            formed_on=start,
        )
        for start in terms
    ]
    for committee in committees[:2]:
        seat = councils.appoint_member(
            session, actor=manager, council_id=committee.id, user_id=member.id, role="member"
        )
        assert seat.term_end == seat.term_start.replace(year=seat.term_start.year + 3)
    with pytest.raises(RuleViolation) as refused:
        councils.appoint_member(
            session, actor=manager, council_id=committees[2].id, user_id=member.id, role="member"
        )
    assert refused.value.violations[0].params == {"count": 2}
    # after a break of a term, the member may serve again
    later = councils.create_council(
        session,
        actor=manager,
        fund_id=fund.id,
        kind="standing",
        name="Hội đồng ngành Toán 2028",
        discipline="Toán học",
        formed_on=date(2028, 1, 1),
    )
    councils.appoint_member(
        session, actor=manager, council_id=later.id, user_id=member.id, role="member"
    )


def test_a_term_longer_than_the_rules_is_refused(make, session):
    fund, manager = make.fund(), make.manager()
    committee = councils.create_council(
        session,
        actor=manager,
        fund_id=fund.id,
        kind="standing",
        name="Hội đồng ngành Hóa",
        discipline="Hóa học",
        formed_on=date(2026, 1, 1),
    )
    with pytest.raises(RuleViolation):
        councils.appoint_member(
            session,
            actor=manager,
            council_id=committee.id,
            user_id=expert(make, session).id,
            role="chair",
            term_start=date(2026, 1, 1),
            term_end=date(2030, 1, 1),
        )


def test_a_selection_council_is_formed_for_a_call_of_the_fund(make, session):
    other_call = make.call()
    fund = make.fund()
    with pytest.raises(RuleViolation) as refused:
        councils.create_council(
            session,
            actor=make.manager(),
            fund_id=fund.id,
            kind="selection",
            name="HĐ",
            call_id=other_call.id,
        )
    assert refused.value.violations[0].field == "call_id"


def test_the_funds_rules_are_stored_with_their_legal_basis_and_audited(make, session):
    fund = make.fund()
    assert rule_spec(session, fund.id, "selection") == DEFAULTS["selection"]
    spec = DEFAULTS["selection"].__class__(
        kind="selection",
        min_members=5,
        max_members=9,
        quorum=Fraction(3, 5),
        ballot="open",
        instrument=None,
        article="Quy chế Quỹ, Điều 12",
    )
    councils.update_council_rules(
        session, actor=make.manager(), fund_id=fund.id, kind="selection", spec=spec
    )
    session.commit()
    stored = rule_spec(session, fund.id, "selection")
    assert (stored.min_members, stored.quorum, stored.ballot, stored.article) == (
        5,
        Fraction(3, 5),
        "open",
        "Quy chế Quỹ, Điều 12",
    )
    entry = session.exec(select(AuditEntry).where(AuditEntry.object_type == "council_rules")).one()
    assert "quorum" in entry.detail
    assert "min_members" in entry.detail
    with pytest.raises(RuleViolation) as refused:
        councils.update_council_rules(
            session,
            actor=make.manager(),
            fund_id=fund.id,
            kind="selection",
            spec=DEFAULTS["selection"].__class__(kind="selection", instrument=None, article=""),
        )
    assert [v.field for v in refused.value.violations] == ["article"]


def test_a_member_of_another_council_and_another_funds_manager_see_nothing(make, session):
    council, seats, _ = selection_council(make, session)
    _other, other_seats, _ = selection_council(make, session, call=make.call(fund=make.fund()))
    outsider = session.get(type(make.manager()), other_seats[0].user_id)
    with pytest.raises(NotFound):
        councils.get_council_for(session, council_id=council.id, actor=outsider)
    stranger = make.manager_of(make.fund())
    with pytest.raises(NotFound):
        councils.get_council_for(session, council_id=council.id, actor=stranger)
    member = session.get(type(make.manager()), seats[3].user_id)
    assert councils.get_council_for(session, council_id=council.id, actor=member) == council


def test_a_removed_member_leaves_the_council_and_may_be_appointed_again(make, session):
    council, seats, _ = selection_council(make, session)
    councils.remove_member(session, actor=make.manager(), seat_id=seats[6].id, reason="ốm")
    assert not seats[6].active
    assert len(councils.composition(session, council)) == 1  # six of seven to nine
    again = councils.appoint_member(
        session,
        actor=make.manager(),
        council_id=council.id,
        user_id=seats[6].user_id,
        role="member",
    )
    assert again.id == seats[6].id
    assert again.active
