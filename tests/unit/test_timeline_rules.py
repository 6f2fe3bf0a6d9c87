"""The proposal timeline's steps, current step, next step and countdown (funds.timeline)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from funds.timeline.rules import (
    Facts,
    Mark,
    Step,
    countdown,
    day_end,
    summary,
    timeline,
)

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi
DAY = timedelta(days=1)


def facts(**kw) -> Facts:
    base = dict(
        status="submitted",
        created_at=NOW - 20 * DAY,
        call_closes_at=NOW + 3 * DAY + timedelta(hours=4),
        submitted_at=NOW - 2 * DAY,
    )
    return Facts(**(base | kw))


def marks(t) -> dict[str, str]:
    return {line.step.value: line.mark.value for line in t.steps}


def test_a_draft_is_at_its_first_step_and_must_be_submitted_before_the_call_closes():
    t = timeline(facts(status="draft", submitted_at=None), NOW)
    assert t.current == Step.DRAFTED
    assert marks(t)["drafted"] == "current"
    assert marks(t)["submitted"] == "to_come"
    assert t.next.message == "Submit the proposal before the call closes."
    assert t.next.deadline == NOW + 3 * DAY + timedelta(hours=4)


def test_a_draft_after_the_call_closed_has_no_deadline_left():
    t = timeline(facts(status="draft", call_closes_at=NOW - DAY), NOW)
    assert t.next.deadline is None
    assert "can no longer be submitted" in t.next.message


def test_the_endorsement_step_shows_only_when_the_call_requires_it():
    assert Step.ENDORSED not in [line.step for line in timeline(facts(), NOW).steps]
    t = timeline(
        facts(
            requires_endorsement=True,
            endorsement_status="pending",
            endorsement_due_at=NOW + 5 * DAY,
        ),
        NOW,
    )
    assert [line.step for line in t.steps][2] == Step.ENDORSED
    assert t.current == Step.SUBMITTED
    assert t.next.deadline == NOW + 5 * DAY
    assert "endorses" in t.next.message


def test_an_expired_endorsement_says_so_without_a_deadline():
    t = timeline(
        facts(
            requires_endorsement=True, endorsement_status="pending", endorsement_due_at=NOW - DAY
        ),
        NOW,
    )
    assert t.next.deadline is None
    assert "passed" in t.next.message


def test_under_review_counts_down_to_the_end_of_the_last_due_day_in_vietnam():
    t = timeline(facts(review_started_at=NOW - DAY, reviews_due_on=date(2026, 6, 10)), NOW)
    assert t.current == Step.UNDER_REVIEW
    assert marks(t)["submitted"] == "done"
    assert marks(t)["council"] == "to_come"
    assert t.next.deadline == datetime(2026, 6, 10, 16, 59, 59, tzinfo=UTC)  # 23:59:59 GMT+7


def test_a_decision_without_a_council_skips_the_council_step():
    t = timeline(
        facts(review_started_at=NOW - 9 * DAY, decided_at=NOW - DAY, outcome="funded"), NOW
    )
    assert t.current == Step.DECIDED
    assert marks(t)["council"] == "skipped"
    assert marks(t)["under_review"] == "done"
    assert marks(t)["contracted"] == "to_come"
    assert "contract" in t.next.message


def test_not_funded_ends_the_road():
    t = timeline(facts(decided_at=NOW - DAY, outcome="not_funded"), NOW)
    assert t.next is None
    assert {marks(t)[s] for s in ("contracted", "reporting", "closed")} == {"skipped"}


def test_a_project_reports_once_it_has_started_and_closes():
    running = facts(
        status="funded",
        decided_at=NOW - 90 * DAY,
        outcome="funded",
        contracted_on=date(2026, 3, 1),
        reporting_from=date(2026, 3, 15),
        next_report_due=date(2026, 9, 15),
    )
    t = timeline(running, NOW)
    assert t.current == Step.REPORTING
    assert t.next.deadline == day_end(date(2026, 9, 15))
    not_started = timeline(
        running.__class__(**(running.__dict__ | {"reporting_from": date(2026, 7, 1)})), NOW
    )
    assert not_started.current == Step.CONTRACTED
    assert not_started.next.deadline is not None
    closed = timeline(running.__class__(**(running.__dict__ | {"closed_at": NOW - DAY})), NOW)
    assert closed.current == Step.CLOSED
    assert closed.next is None


def test_a_withdrawn_proposal_is_back_to_its_draft_step():
    t = timeline(facts(status="withdrawn", review_started_at=NOW - DAY), NOW)
    assert t.current == Step.DRAFTED
    assert marks(t)["under_review"] == "to_come"


def test_exactly_one_step_is_current_and_says_so_in_words():
    t = timeline(facts(review_started_at=NOW - DAY), NOW)
    current = [line for line in t.steps if line.is_current]
    assert len(current) == 1
    assert current[0].mark == Mark.CURRENT
    assert current[0].mark_label == "current step"


def test_the_summary_gives_the_step_number_and_deadline():
    s = summary(timeline(facts(status="draft"), NOW))
    assert (s.position, s.total, s.label) == (1, 8, "Drafted")
    assert s.deadline == NOW + 3 * DAY + timedelta(hours=4)


@pytest.mark.parametrize(
    "left, expected",
    [
        (timedelta(days=3, hours=4, minutes=59), (3, 4, 59, False)),
        (timedelta(minutes=5, seconds=59), (0, 0, 5, False)),
        (timedelta(seconds=0), (0, 0, 0, True)),
        (timedelta(hours=-2), (0, 0, 0, True)),
    ],
)
def test_countdown_floors_to_whole_minutes_against_server_time(left, expected):
    c = countdown(NOW + left, NOW)
    assert (c.days, c.hours, c.minutes, c.passed) == expected


@pytest.mark.parametrize(
    "kw, phrase",
    [
        ({"status": "draft"}, "closes in %(time)s"),
        ({"review_started_at": NOW - DAY, "reviews_due_on": date(2026, 6, 10)}, "due in %(time)s"),
        ({"council_at": NOW + DAY}, "meets in %(time)s"),
    ],
)
def test_the_countdown_reads_as_the_deadline_it_counts_to(kw, phrase):
    assert timeline(facts(**kw), NOW).next.countdown == phrase
