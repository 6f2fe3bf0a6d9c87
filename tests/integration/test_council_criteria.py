"""A fund's criteria of acceptance and mid-term rating sheets, on both databases: the
built-in defaults until the fund sets its own; an acceptance sheet scores the criteria and
checks each contracted quality indicator, met or not with the value seen; a mid-term sheet;
the pass rule's criterion minimums read the fund's criteria; a change never alters the
criteria of an item already rated (nor of one rated before items kept them)."""

import json

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.errors import NotFound, RuleViolation
from funds.projects.regimes.services import quality_indicators
from reviews.councils.ballots.services import cast_vote, close_vote
from reviews.councils.criteria.queries import fund_criteria, stored_criteria
from reviews.councils.criteria.rules import ACCEPTANCE_DEFAULTS, MIDTERM_DEFAULTS, CriterionInput
from reviews.councils.criteria.services import set_council_criteria
from reviews.councils.meetings.models import (
    ItemStatus,
    RatingSheet,
)
from reviews.councils.sheets.queries import visible_sheets
from reviews.councils.sheets.rules import load_checks
from reviews.councils.sheets.services import save_sheet
from reviews.rubric.rules import total_basis_points, weighted_total
from tests.council_criteria_data import INDICATORS, ProjectSitting

BASIS = "Quy chế nghiệm thu của Quỹ, Điều 12"


def checks_all(indicators, met=True):
    return {i.id: {"met": met, "measured": f"đo được {n}"} for n, i in enumerate(indicators)}


def submit(session, item, member, scores, checks=None, opinion="Đạt yêu cầu"):
    sheet = save_sheet(
        session,
        actor=member,
        item_id=item.id,
        scores=scores,
        opinion=opinion,
        indicator_checks=checks or {},
        version_id=0,
        submit=True,
    )
    session.commit()
    return sheet


def test_without_criteria_of_its_own_an_acceptance_sheet_uses_the_defaults(make, session):
    sit = ProjectSitting(make, session, "acceptance", indicators=INDICATORS)
    item = sit.item()
    form = sit.form(item)
    assert [c.name for c in form.criteria] == [c.name for c in ACCEPTANCE_DEFAULTS]
    assert [(c.weight, c.scale_max, c.threshold) for c in form.criteria] == [
        (3, 5, 3),
        (3, 5, 3),
        (2, 5, 2),
        (2, 5, 0),
    ]
    assert form.descriptions[1] == ACCEPTANCE_DEFAULTS[0].description
    assert [(i.product, i.name, i.target, i.unit) for i in form.indicators] == [
        (i.product, i.name, i.target, i.unit) for i in INDICATORS
    ]
    assert stored_criteria(session, sit.fund_id, "acceptance") == []


def test_an_acceptance_sheet_checks_each_contracted_indicator_met_or_not_with_its_value(
    make, session
):
    sit = ProjectSitting(make, session, "acceptance", indicators=INDICATORS)
    item = sit.item()
    indicators = quality_indicators(session, sit.award.id)
    scores = {c.id: 4 for c in sit.form(item).criteria}
    one_missing = checks_all(indicators[:2])
    with pytest.raises(RuleViolation) as refused:
        submit(session, item, sit.members[2], scores, one_missing)
    assert {v.field for v in refused.value.violations} == {f"indicator_{indicators[2].id}"}
    session.rollback()
    checks = {
        indicators[0].id: {"met": True, "measured": "125 mAh/g"},
        indicators[1].id: {"met": False, "measured": "410 chu kỳ"},
        indicators[2].id: {"met": True, "measured": "92 %"},
    }
    sheet = submit(session, item, sit.members[2], scores, checks)
    kept = load_checks(session.get_one(RatingSheet, sheet.id).indicator_checks)
    assert [(kept[i.id].met, kept[i.id].measured) for i in indicators] == [
        (True, "125 mAh/g"),
        (False, "410 chu kỳ"),
        (True, "92 %"),
    ]
    rows = visible_sheets(session, actor=sit.members[1], item_id=item.id).rows
    (row,) = [r for r in rows if r.submitted]  # the others have not submitted
    criteria = [c.rule for c in ACCEPTANCE_DEFAULTS]
    assert row.total_bp == total_basis_points(weighted_total(criteria, scores))
    assert json.loads(row.indicator_checks)[str(indicators[1].id)] == {
        "met": False,
        "measured": "410 chu kỳ",
    }


def test_a_funds_own_acceptance_criteria_drive_the_sheet_and_its_pass_rule(make, session):
    sit = ProjectSitting(make, session, "acceptance", indicators=INDICATORS[:1])
    set_council_criteria(
        session,
        actor=sit.manager,
        fund_id=sit.fund_id,
        kind="acceptance",
        criteria=[
            CriterionInput("Mức độ hoàn thành sản phẩm", "Theo hợp đồng", 2, 10, 6),
            CriterionInput("Giá trị khoa học", "", 1, 10, 0),
        ],
        basis=BASIS,
    )
    session.commit()
    item = sit.item()
    form = sit.form(item)
    first, second = form.criteria
    assert (first.name, first.weight, first.scale_max, first.threshold) == (
        "Mức độ hoàn thành sản phẩm",
        2,
        10,
        6,
    )
    assert form.descriptions[first.id] == "Theo hợp đồng"
    (indicator,) = form.indicators
    for member in sit.members:  # every member: product completion 5 of 10, below 6
        submit(session, item, member, {first.id: 5, second.id: 10}, checks_all([indicator]))
    table = visible_sheets(session, actor=sit.members[1], item_id=item.id)
    assert [c.name for c in table.criteria] == ["Mức độ hoàn thành sản phẩm", "Giá trị khoa học"]
    assert table.rows[0].total_bp == total_basis_points(
        weighted_total([first, second], {first.id: 5, second.id: 10})
    )  # (2·5/10 + 1·10/10) / 3 = 2/3
    assert table.rows[0].total_bp == 6667
    item.status = ItemStatus.VOTING
    session.add(item)
    session.commit()
    for member in sit.members:
        cast_vote(session, actor=member, item_id=item.id, choice="pass")
        session.commit()
    conclusion = close_vote(session, actor=sit.members[1], item_id=item.id)
    assert conclusion.recommendation == "no_conclusion"  # a criterion below its minimum
    assert "A criterion's mean score is below its minimum." in conclusion.reasons


def test_a_midterm_sheet_uses_the_midterm_criteria_default_then_the_funds(make, session):
    sit = ProjectSitting(make, session, "midterm")
    item = sit.item()
    form = sit.form(item)
    assert [c.name for c in form.criteria] == [c.name for c in MIDTERM_DEFAULTS]
    assert form.indicators == []
    scores = {1: 4, 2: 3, 3: 5}
    for member in sit.members:
        submit(session, item, member, scores)
    table = visible_sheets(session, actor=sit.members[1], item_id=item.id)
    expected = total_basis_points(weighted_total([c.rule for c in MIDTERM_DEFAULTS], scores))
    assert {r.total_bp for r in table.rows} == {expected}
    assert table.mean_bp == expected
    item.status = ItemStatus.VOTING
    session.add(item)
    session.commit()
    for member in sit.members:
        cast_vote(session, actor=member, item_id=item.id, choice="continue")
        session.commit()
    assert close_vote(session, actor=sit.members[1], item_id=item.id).recommendation == ("continue")
    set_council_criteria(
        session,
        actor=sit.manager,
        fund_id=sit.fund_id,
        kind="midterm",
        criteria=[CriterionInput("Tiến độ", "", 1, 5, 3)],
        basis=BASIS,
    )
    session.commit()
    assert [c.name for c in sit.form(sit.item()).criteria] == ["Tiến độ"]
    # the concluded item keeps the criteria its sheets were scored on
    assert [c.name for c in sit.form(item).criteria] == [c.name for c in MIDTERM_DEFAULTS]
    again = visible_sheets(session, actor=sit.members[1], item_id=item.id)
    assert again.mean_bp == expected


def test_a_change_applies_to_items_not_yet_rated_never_to_a_sheet_in_progress(make, session):
    sit = ProjectSitting(make, session, "acceptance")
    rated, fresh = sit.item(), sit.item()
    save_sheet(
        session,
        actor=sit.members[3],
        item_id=rated.id,
        scores={1: 4, 2: 4},
        opinion="Bản nháp",
        version_id=0,
    )
    session.commit()
    set_council_criteria(
        session,
        actor=sit.manager,
        fund_id=sit.fund_id,
        kind="acceptance",
        criteria=[CriterionInput("Chất lượng tổng thể", "", 1, 10, 5)],
        basis=BASIS,
    )
    session.commit()
    assert [c.name for c in sit.form(rated).criteria] == [c.name for c in ACCEPTANCE_DEFAULTS]
    assert [c.name for c in sit.form(fresh).criteria] == ["Chất lượng tổng thể"]
    sheet = save_sheet(  # the default criteria's ids still hold on this item
        session,
        actor=sit.members[3],
        item_id=rated.id,
        scores={1: 4, 2: 4, 3: 3, 4: 2},
        opinion="Đạt",
        version_id=1,
        submit=True,
    )
    assert sheet.status == "submitted"


def test_items_rated_before_items_kept_their_criteria_are_fixed_on_the_first_change(make, session):
    sit = ProjectSitting(make, session, "acceptance")
    item = sit.item()
    session.add(RatingSheet(item_id=item.id, seat_id=sit.seats[0].id, scores='{"1": 5}'))
    session.commit()  # a sheet saved before this revision: the item keeps nothing
    assert item.sheet_criteria == ""
    set_council_criteria(
        session,
        actor=sit.manager,
        fund_id=sit.fund_id,
        kind="acceptance",
        criteria=[CriterionInput("Tiêu chí mới", "", 1, 5, 0)],
        basis=BASIS,
    )
    session.commit()
    session.refresh(item)
    assert [c.name for c in sit.form(item).criteria] == [c.name for c in ACCEPTANCE_DEFAULTS]


def test_the_criteria_are_checked_audited_and_changed_by_the_funds_managers_only(make, session):
    fund = make.fund()
    manager = make.manager()
    with pytest.raises(RuleViolation) as refused:
        set_council_criteria(
            session,
            actor=manager,
            fund_id=fund.id,
            kind="acceptance",
            criteria=[CriterionInput("A", "", 0, 5, 6), CriterionInput("a", "", 1, 1, 0)],
            basis="",
        )
    assert {v.field for v in refused.value.violations} == {
        "weight_0",
        "threshold_0",
        "name_1",
        "scale_max_1",
        "basis",
    }
    session.rollback()
    with pytest.raises(RuleViolation):
        set_council_criteria(
            session, actor=manager, fund_id=fund.id, kind="selection", criteria=[], basis=BASIS
        )
    session.rollback()
    other = make.manager_of(make.fund(code="OTHER"))
    with pytest.raises(NotFound):
        set_council_criteria(
            session,
            actor=other,
            fund_id=fund.id,
            kind="acceptance",
            criteria=[CriterionInput("B", "", 1, 5, 0)],
            basis=BASIS,
        )
    session.rollback()
    first = [CriterionInput("Sản phẩm", "", 2, 5, 3), CriterionInput("Báo cáo", "", 1, 5, 0)]
    set_council_criteria(
        session,
        actor=make.admin(),
        fund_id=fund.id,
        kind="acceptance",
        criteria=first,
        basis=BASIS,
    )
    session.commit()
    ids = [c.id for c in fund_criteria(session, fund.id, "acceptance")]
    set_council_criteria(  # reorder and remove one: rows are reused, the surplus removed
        session,
        actor=manager,
        fund_id=fund.id,
        kind="acceptance",
        criteria=[first[1]],
        basis=BASIS,
    )
    session.commit()
    (only,) = stored_criteria(session, fund.id, "acceptance")
    assert (only.id, only.name, only.position, only.basis) == (ids[0], "Báo cáo", 0, BASIS)
    entries = session.exec(
        select(AuditEntry)
        .where(AuditEntry.object_type == "council_criteria")
        .order_by(AuditEntry.id)
    ).all()
    assert [e.actor_id for e in entries] == [make.admin().id, manager.id]
    assert "Products delivered in the kind and quantity contracted" in entries[0].detail
    assert "before:" in entries[1].detail
    assert "'name': 'Sản phẩm'" in entries[1].detail
    assert BASIS in entries[1].detail
    assert fund_criteria(session, fund.id, "midterm")[0].name == MIDTERM_DEFAULTS[0].name
