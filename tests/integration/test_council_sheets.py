"""Rating sheets on council items, on both databases: autosave with versions (a stale one
refused, nothing overwritten), submitted once, who may fill them, who sees whose, and the
one engine with peer review (totals, calibration, disagreement, ranking with ties)."""

import pytest
from sqlmodel import select

from funds.errors import InvalidTransition, NotAllowed, NotFound, RuleViolation, StaleEdit
from reviews.councils.ballots.services import cast_vote, close_vote
from reviews.councils.meetings.models import RatingSheet
from reviews.councils.sheets.queries import visible_sheets
from reviews.councils.sheets.services import council_ranking, save_sheet
from reviews.rubric.rules import total_basis_points, weighted_total
from reviews.rubric.services import criteria_of, rubric_for_call, rules_of
from tests.council_sheets_data import conflict, set_status, sitting


def criteria(session, sit):
    return criteria_of(session, rubric_for_call(session, sit.council.call_id))


def scores_at(session, sit, value):
    return {c.id: min(value, c.scale_max) for c in criteria(session, sit)}


def submit(session, sit, item, member, value, opinion="Ý kiến của tôi"):
    sheet = save_sheet(
        session,
        actor=member,
        item_id=item.id,
        scores=scores_at(session, sit, value),
        opinion=opinion,
        version_id=0,
        submit=True,
    )
    session.commit()
    return sheet


def test_a_draft_autosaves_and_a_stale_save_overwrites_nothing(make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    member = sit.members[3]
    first = save_sheet(
        session, actor=member, item_id=item.id, scores={}, opinion="Bản nháp", version_id=0
    )
    session.commit()
    assert (first.version_id, first.status) == (1, "draft")
    second = save_sheet(
        session,
        actor=member,
        item_id=item.id,
        scores=scores_at(session, sit, 4),
        opinion="Bản nháp thứ hai",
        version_id=1,
    )
    session.commit()
    assert second.version_id == 2
    with pytest.raises(StaleEdit):  # a tab opened at version 1
        save_sheet(session, actor=member, item_id=item.id, scores={}, opinion="Cũ", version_id=1)
    session.rollback()
    stored = session.exec(select(RatingSheet)).one()
    assert (stored.opinion, stored.version_id) == ("Bản nháp thứ hai", 2)


def test_a_sheet_is_submitted_complete_and_once(make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    member = sit.members[4]
    with pytest.raises(RuleViolation) as refused:
        save_sheet(
            session,
            actor=member,
            item_id=item.id,
            scores={criteria(session, sit)[0].id: 9},
            opinion="",
            version_id=0,
            submit=True,
        )
    fields = {v.field for v in refused.value.violations}
    assert "opinion" in fields
    assert f"score_{criteria(session, sit)[1].id}" in fields
    session.rollback()
    sheet = submit(session, sit, item, member, 4)
    expected = total_basis_points(
        weighted_total(rules_of(criteria(session, sit)), scores_at(session, sit, 4))
    )
    assert sheet.status == "submitted"
    assert visible_sheets(session, actor=sit.secretary, item_id=item.id).rows[0].total_bp == (
        expected
    )
    with pytest.raises(InvalidTransition):
        save_sheet(
            session,
            actor=member,
            item_id=item.id,
            scores={},
            opinion="Sửa",
            version_id=sheet.version_id,
        )


def test_only_present_members_without_conflict_fill_sheets_while_the_item_is_under_way(
    make, session
):
    sit = sitting(make, session, items=2)
    x, y = sit.items
    conflict(session, sit, x, sit.members[5])
    with pytest.raises(NotAllowed):
        save_sheet(session, actor=sit.members[5], item_id=x.id, scores={}, opinion="", version_id=0)
    session.rollback()
    with pytest.raises(NotFound):
        save_sheet(session, actor=sit.outsider, item_id=x.id, scores={}, opinion="", version_id=0)
    session.rollback()
    set_status(session, y, "pending")
    with pytest.raises(InvalidTransition):
        save_sheet(session, actor=sit.chair, item_id=y.id, scores={}, opinion="", version_id=0)


def conclude_item(session, sit, item):
    set_status(session, item, "voting")
    for m in sit.members:
        cast_vote(session, actor=m, item_id=item.id, choice="select")
        session.commit()
    close_vote(session, actor=sit.secretary, item_id=item.id)
    session.commit()


def test_members_see_the_others_sheets_only_after_the_item_concludes(make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    for n, m in enumerate(sit.members):
        submit(session, sit, item, m, 3 + n % 3, opinion=f"Ý kiến {n}")
    member = sit.members[6]
    assert visible_sheets(session, actor=member, item_id=item.id).rows == []
    summary = visible_sheets(session, actor=sit.secretary, item_id=item.id)
    assert summary.summary
    assert len(summary.rows) == 7
    assert summary.anonymous  # a secret ballot: the table names no one
    assert {r.name for r in summary.rows} == {None}
    assert [r.label for r in summary.rows] == list("ABCDEFG")
    assert summary.standing is not None
    conclude_item(session, sit, item)
    after = visible_sheets(session, actor=member, item_id=item.id)
    assert len(after.rows) == 7
    assert not after.summary
    with pytest.raises(NotFound):
        visible_sheets(session, actor=sit.outsider, item_id=item.id)


def test_a_fund_that_keeps_sheets_closed_shows_them_to_no_member(make, session):
    sit = sitting(make, session, items=1, ballot="open", sheets_after_close=False)
    (item,) = sit.items
    for m in sit.members:
        submit(session, sit, item, m, 4)
    conclude_item(session, sit, item)
    assert visible_sheets(session, actor=sit.members[3], item_id=item.id).rows == []
    named = visible_sheets(session, actor=sit.manager, item_id=item.id)
    assert not named.anonymous  # an open vote: the table names each member
    assert {r.name for r in named.rows} == {u.name for u in sit.members}


def test_the_council_ranks_by_mean_score_with_ties_shown(make, session):
    sit = sitting(make, session, items=3)
    a, b, c = sit.items
    for m in sit.members:
        submit(session, sit, a, m, 4)
        submit(session, sit, b, m, 4)
        submit(session, sit, c, m, 5)
    for item in (a, b, c):
        conclude_item(session, sit, item)
    ranked = council_ranking(session, meeting_id=sit.meeting.id)
    by_item = {r.proposal_id: r for r in ranked}
    assert by_item[c.id].rank == 1
    assert (by_item[a.id].rank, by_item[b.id].rank) == (2, 2)
    assert by_item[a.id].tied
    assert by_item[b.id].tied
    for item in (a, b, c):
        session.refresh(item)
    assert (a.council_rank, b.council_rank, c.council_rank) == (2, 2, 1)


def test_disagreement_between_members_is_flagged_as_in_peer_review(make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    for n, m in enumerate(sit.members):
        submit(session, sit, item, m, 1 if n == 0 else 5)
    standing = visible_sheets(session, actor=sit.secretary, item_id=item.id).standing
    assert standing.disagreement
    assert standing.spread_bp >= 2_500
