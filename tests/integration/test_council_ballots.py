"""Votes on council items, on both databases: the secret ballot leaves nothing that links a
member to their choice (every table and the audit log inspected), each pass rule, ties, and
the refusals (conflicted, absent, twice, outside voting, not a member)."""

import logging

import pytest
from sqlalchemy import select, text
from sqlmodel import SQLModel

from funds.audit import verify_log
from funds.errors import InvalidTransition, NotAllowed, NotFound, RuleViolation
from reviews.councils.ballots.models import BallotTally, OpenVote, VoteCast
from reviews.councils.ballots.queries import vote_result
from reviews.councils.ballots.services import cast_vote, close_vote
from reviews.councils.errors import NoQuorum
from reviews.councils.meetings.models import MeetingItem
from reviews.councils.sheets.services import save_sheet
from reviews.rubric.services import criteria_of, rubric_for_call
from tests.council_sheets_data import absent, conflict, set_status, sitting

CHOICES = ("select", "select_with_changes", "do_not_select")


def vote_all(session, sit, item, choices):
    for member, choice in zip(sit.members, choices, strict=False):
        cast_vote(session, actor=member, item_id=item.id, choice=choice)
        session.commit()


def dump(session) -> dict[str, list[dict]]:
    """Every row of every table, every column."""
    return {
        t.name: [dict(r._mapping) for r in session.execute(select(t)).all()]
        for t in SQLModel.metadata.sorted_tables
    }


VOLATILE = {"at", "seq", "prev_hash", "entry_hash"}  # time and the chain hashes over it


def about_item(tables: dict[str, list[dict]], item_id: int) -> dict[str, list[dict]]:
    """The rows that concern one item, with its id, primary keys and instants replaced by
    what they say relative to each other (the rank of the id among those rows)."""
    out = {}
    for table in SQLModel.metadata.sorted_tables:
        item_cols = [
            c.name
            for c in table.columns
            if any(fk.column.table.name == "meeting_item" for fk in c.foreign_keys)
        ]
        rows = [
            r
            for r in tables[table.name]
            if any(r[c] == item_id for c in item_cols)
            or (
                table.name == "audit_entry"
                and r["object_type"] == "meeting_item"
                and r["object_id"] == item_id
            )
        ]
        rows.sort(key=lambda r: r.get("id") or 0)
        out[table.name] = [
            {
                k: ("ITEM" if k in item_cols or k == "object_id" else v)
                for k, v in r.items()
                if k not in VOLATILE and k != "id"
            }
            for r in rows
        ]
    return out


def test_a_secret_vote_leaves_nothing_that_links_a_member_to_their_choice(make, session, caplog):
    """Two items voted by the same members in the same order with the same counts, but
    with members' choices swapped between them: if any row anywhere (or the audit log, or
    the application log) linked a member to a choice, the two items' records would differ."""
    sit = sitting(make, session, items=2)
    x, y = sit.items
    for item in (x, y):
        set_status(session, item, "voting")
    before = dump(session)
    on_x = [
        "select",
        "select",
        "select",
        "select",
        "select_with_changes",
        "do_not_select",
        "select",
    ]
    on_y = [
        "do_not_select",
        "select",
        "select_with_changes",
        "select",
        "select",
        "select",
        "select",
    ]
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.WARNING, logger="sqlalchemy")  # SQL echo is off in production
    for member, cx, cy in zip(sit.members, on_x, on_y, strict=True):
        cast_vote(session, actor=member, item_id=x.id, choice=cx)
        session.commit()
        cast_vote(session, actor=member, item_id=y.id, choice=cy)
        session.commit()
    after = dump(session)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"vote_cast", "ballot_tally", "audit_entry"}
    assert about_item(after, x.id) == about_item(after, y.id)
    # who voted is recorded; what, only as counts
    assert len(after["vote_cast"]) == 14
    assert set(after["vote_cast"][0]) == {"id", "item_id", "seat_id"}
    tally = {t["choice"]: t["votes"] for t in after["ballot_tally"] if t["item_id"] == x.id}
    assert tally == {"select": 5, "select_with_changes": 1, "do_not_select": 1}
    assert not after["open_vote"]
    votes = [a for a in after["audit_entry"] if a["action"] == "vote"]
    assert len(votes) == 14
    assert {a["detail"] for a in votes} == {""}
    assert all(c not in r.getMessage() for r in caplog.records for c in CHOICES)
    assert verify_log(session).intact


def test_every_tally_row_of_an_item_carries_the_same_row_version(make, session):
    """PostgreSQL stamps a row with the transaction that last wrote it (xmin): every tally
    row of the item is rewritten by each ballot, so the stamps cannot say which was counted."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("a PostgreSQL row-version stamp")
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    set_status(session, item, "voting")
    vote_all(session, sit, item, ["select", "do_not_select", "select"])
    stamps = session.execute(
        text("SELECT DISTINCT xmin::text FROM ballot_tally WHERE item_id = :i"), {"i": item.id}
    ).all()
    assert len(stamps) == 1


def close(session, sit, item, **kw):
    conclusion = close_vote(session, actor=sit.secretary, item_id=item.id, **kw)
    session.commit()
    session.refresh(item)
    return conclusion


def test_more_than_three_quarters_of_those_present_select(make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    set_status(session, item, "voting")
    vote_all(session, sit, item, ["select"] * 5 + ["select_with_changes", "do_not_select"])
    c = close(session, sit, item, requested_changes="Giảm kinh phí", dissent="Một ý kiến khác")
    assert (c.recommendation, c.voters) == ("select", 7)
    assert (item.conclusion, item.status) == ("select", "concluded")
    assert item.requested_changes == "Giảm kinh phí"
    assert item.dissent == "Một ý kiến khác"
    assert item.concluded_at is not None
    assert item.council_rank is None
    result = vote_result(session, item, sit.council)
    assert result.counts == {"select": 5, "select_with_changes": 1, "do_not_select": 1}
    assert (result.tie, result.secret, result.cast) == (False, True, 7)


def test_five_of_seven_is_not_more_than_three_quarters(make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    set_status(session, item, "voting")
    vote_all(session, sit, item, ["select"] * 5 + ["do_not_select"] * 2)
    c = close(session, sit, item)
    assert (c.recommendation, c.tie) == ("no_conclusion", False)
    assert item.conclusion == "no_conclusion"


def test_select_with_changes_when_it_alone_holds_the_share_and_abstentions_count_against(
    make, session
):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    set_status(session, item, "voting")
    vote_all(session, sit, item, ["select_with_changes"] * 6)  # the seventh does not vote
    assert close(session, sit, item).recommendation == "select_with_changes"


def test_a_tie_is_shown_as_a_tie_never_broken(make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    absent(session, sit, sit.members[6])
    set_status(session, item, "voting")
    vote_all(session, sit, item, ["select", "select", "select"] + ["do_not_select"] * 3)
    c = close(session, sit, item)
    assert (c.recommendation, c.tie, c.voters) == ("no_conclusion", True, 6)
    result = vote_result(session, item, sit.council)
    assert result.tie
    assert result.no_conclusion


def test_an_unfavourable_conclusion_needs_the_share_too(make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    set_status(session, item, "voting")
    vote_all(session, sit, item, ["do_not_select"] * 7)
    assert close(session, sit, item).recommendation == "do_not_select"


def test_a_non_strict_rule_of_two_thirds(make, session):
    sit = sitting(make, session, items=1, pass_num=2, pass_den=3, pass_strict=False)
    (item,) = sit.items
    absent(session, sit, sit.members[6])
    set_status(session, item, "voting")
    vote_all(session, sit, item, ["select"] * 4 + ["do_not_select"] * 2)  # 4/6 = 2/3
    assert close(session, sit, item).recommendation == "select"


def sheet(session, sit, item, member, score):
    rubric = rubric_for_call(session, sit.council.call_id)
    scores = {c.id: min(score, c.scale_max) for c in criteria_of(session, rubric)}
    save_sheet(
        session,
        actor=member,
        item_id=item.id,
        scores=scores,
        opinion="Ý kiến",
        version_id=0,
        submit=True,
    )
    session.commit()


def test_the_mean_score_threshold_stops_a_unanimous_vote(make, session):
    sit = sitting(make, session, items=1, min_average_pct=70)
    (item,) = sit.items
    for member in sit.members:
        sheet(session, sit, item, member, 3)  # 60% of the maximum
    set_status(session, item, "voting")
    vote_all(session, sit, item, ["select"] * 7)
    c = close(session, sit, item)
    assert c.recommendation == "no_conclusion"
    assert "The members' mean score is below the council's threshold." in c.reasons


def test_a_criterion_below_its_minimum_stops_a_unanimous_vote(make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    for member in sit.members:
        sheet(session, sit, item, member, 1)  # below the default thresholds (2 and 3)
    set_status(session, item, "voting")
    vote_all(session, sit, item, ["select"] * 7)
    c = close(session, sit, item)
    assert c.recommendation == "no_conclusion"
    assert "A criterion's mean score is below its minimum." in c.reasons


def test_an_open_vote_records_who_voted_what(make, session):
    sit = sitting(make, session, items=1, ballot="open")
    (item,) = sit.items
    set_status(session, item, "voting")
    vote_all(session, sit, item, ["select"] * 6 + ["do_not_select"])
    rows = session.exec(select(OpenVote).where(OpenVote.item_id == item.id)).scalars().all()
    assert {(r.seat_id, r.choice) for r in rows} == {
        (sit.seat_of(m).id, "do_not_select" if n == 6 else "select")
        for n, m in enumerate(sit.members)
    }
    assert not session.exec(select(BallotTally)).scalars().all()
    assert close(session, sit, item).recommendation == "select"
    assert vote_result(session, item, sit.council).secret is False


def test_a_conflicted_member_does_not_vote_and_is_not_counted(make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    conflict(session, sit, item, sit.members[6])
    set_status(session, item, "voting")
    with pytest.raises(NotAllowed):
        cast_vote(session, actor=sit.members[6], item_id=item.id, choice="select")
    session.rollback()
    vote_all(session, sit, item, ["select"] * 5 + ["do_not_select"])
    c = close(session, sit, item)
    assert (c.voters, c.recommendation) == (6, "select")  # 5/6 > 3/4


def test_an_absent_member_does_not_vote(make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    absent(session, sit, sit.members[5])
    set_status(session, item, "voting")
    with pytest.raises(NotAllowed):
        cast_vote(session, actor=sit.members[5], item_id=item.id, choice="select")


def test_a_member_votes_once(make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    set_status(session, item, "voting")
    cast_vote(session, actor=sit.chair, item_id=item.id, choice="select")
    session.commit()
    with pytest.raises(RuleViolation):
        cast_vote(session, actor=sit.chair, item_id=item.id, choice="do_not_select")
    session.rollback()
    tally = {t.choice: t.votes for t in session.exec(select(BallotTally)).scalars()}
    assert tally == {"select": 1, "select_with_changes": 0, "do_not_select": 0}
    assert len(session.exec(select(VoteCast)).scalars().all()) == 1


@pytest.mark.parametrize("status", ["pending", "deliberating", "concluded"])
def test_no_vote_outside_the_voting_state(make, session, status):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    set_status(session, item, status)
    with pytest.raises(InvalidTransition):
        cast_vote(session, actor=sit.chair, item_id=item.id, choice="select")
    session.rollback()
    with pytest.raises(InvalidTransition):
        close_vote(session, actor=sit.secretary, item_id=item.id)


def test_only_the_ballots_answers_an_outsider_and_a_member_who_is_not_secretary(make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    set_status(session, item, "voting")
    with pytest.raises(RuleViolation):
        cast_vote(session, actor=sit.chair, item_id=item.id, choice="excellent")
    session.rollback()
    with pytest.raises(NotFound):
        cast_vote(session, actor=sit.outsider, item_id=item.id, choice="select")
    session.rollback()
    with pytest.raises(NotAllowed):
        cast_vote(session, actor=sit.manager, item_id=item.id, choice="select")
    session.rollback()
    with pytest.raises(NotAllowed):
        close_vote(session, actor=sit.members[5], item_id=item.id)


def test_a_vote_without_quorum_cannot_be_closed(make, session):
    sit = sitting(make, session, items=1)
    (item,) = sit.items
    set_status(session, item, "voting")
    vote_all(session, sit, item, ["select"] * 7)
    for m in sit.members[3:6]:
        absent(session, sit, m)  # 4 of 7 present: two thirds need 5
    with pytest.raises(NoQuorum):
        close_vote(session, actor=sit.secretary, item_id=item.id)
    session.rollback()
    assert session.get(MeetingItem, item.id).status == "voting"
