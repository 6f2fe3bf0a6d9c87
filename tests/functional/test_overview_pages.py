"""Status and overview over HTTP: the applicant's timeline, the managers' dashboard of their
own funds, and reminding reviewers in one confirmed action (issue #16, item 4)."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from funds.accounts.models import User
from funds.audit.models import AuditEntry
from funds.clock import to_local, utcnow
from funds.notifications.models import EmailState, Notification
from funds.notifications.services import set_email_preferences
from reviews.assignment.models import ReviewAssignment
from tests.mailbox import messages


def _page(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, r.get_data(as_text=True)[:300]
    return r.get_data(as_text=True)


def _overdue(session, assignment, days=2):
    assignment.due_on = to_local(utcnow()).date() - timedelta(days=days)
    session.add(assignment)
    session.commit()


def test_the_applicant_sees_the_current_step_and_a_countdown_to_the_deadline(client, make):
    call = make.call(closes_in=timedelta(days=3, hours=4, minutes=30))
    pi = make.user("applicant")
    draft = make.proposal(pi=pi, call=call, title="Bản nháp")
    client.login(pi.email)
    client.use_language("en")
    page = _page(client, f"/proposals/{draft.id}")
    current = re.search(r'<li class="current" id="step-(\w+)" aria-current="step">', page)
    assert current
    assert current.group(1) == "drafted"
    assert "(current step)" in page  # said in words, not by colour alone
    assert "Submit the proposal before the call closes." in page
    assert "closes in 3 days 4 hours" in page
    assert "(GMT+7)" in page  # the deadline in Vietnam time
    client.use_language("vi")
    page = _page(client, f"/proposals/{draft.id}")
    assert "còn 3 ngày 4 giờ" in page
    assert "(bước hiện tại)" in page


def test_a_submitted_proposal_under_review_shows_its_dates_and_the_list_shows_the_step(
    client, make
):
    pi = make.user("applicant")
    proposal = make.proposal(pi=pi, submit=True, title="Đề tài đang phản biện")
    make.assignment(proposal=proposal)
    client.login(pi.email)
    client.use_language("en")
    page = _page(client, f"/proposals/{proposal.id}")
    assert 'id="step-under_review" aria-current="step"' in page
    assert re.search(r'id="step-submitted">\s*Submitted\s*<span class="mark">\(done\)', page)
    assert "Reviewers assess the proposal" in page
    listing = _page(client, "/proposals")
    assert "Step 3 of 8: Under review" in listing


def test_the_timeline_of_another_persons_proposal_is_not_shown(client, make):
    proposal = make.proposal(submit=True)
    stranger = make.user("applicant")
    client.login(stranger.email)
    assert client.get(f"/proposals/{proposal.id}").status_code in (403, 404)


@pytest.fixture
def two_funds(make, session):
    fund_a, fund_b = make.fund(name="Quỹ A"), make.fund(name="Quỹ B")
    call_a = make.call(fund=fund_a, title="Đợt gọi A")
    call_b = make.call(fund=fund_b, title="Đợt gọi B bí mật")
    manager_a, manager_b = make.manager_of(fund_a), make.manager_of(fund_b)
    make.proposal(call=call_a, title="Nháp A")
    p_a = make.proposal(call=call_a, title="Hồ sơ A", submit=True)
    make.proposal(call=call_a, title="Hồ sơ A2", submit=True)
    late = make.assignment(proposal=p_a, reviewer=make.user("reviewer", name="Chuyên gia Trễ"))
    make.assignment(proposal=p_a, reviewer=make.user("reviewer", name="Chuyên gia Đúng hạn"))
    _overdue(session, late)
    make.proposal(call=call_b, title="Hồ sơ B", submit=True)
    return {"call_a": call_a, "call_b": call_b, "a": manager_a, "b": manager_b, "p_a": p_a}


def _counts(page, call_id) -> dict[str, int]:
    row = re.search(rf'<tr id="call-{call_id}">(.*?)</tr>', page, re.S).group(1)
    return {k: int(v) for k, v in re.findall(r'data-stage="(\w+)">(\d+)<', row)}


def test_the_overview_counts_each_call_of_the_managers_funds_by_stage(client, two_funds):
    client.login(two_funds["a"].email)
    client.use_language("en")
    home = _page(client, "/manage")
    assert 'href="/manage/overview"' in home  # in the manager's navigation
    page = _page(client, "/manage/overview")
    counts = _counts(page, two_funds["call_a"].id)
    assert counts["drafts"] == 1
    assert counts["under_review"] == 1
    assert counts["submitted"] == 1
    assert counts["reviews_overdue"] == 1
    assert counts["closed"] == 0
    assert "Reviews overdue: remind the reviewers" in page
    link = f"/review-management/calls/{two_funds['call_a'].id}#reminders"
    assert link in page


def test_another_funds_manager_sees_nothing_of_it(client, two_funds):
    client.login(two_funds["b"].email)
    page = _page(client, "/manage/overview")
    assert "Đợt gọi A" not in page
    assert "Hồ sơ A" not in page
    assert f'id="call-{two_funds["call_a"].id}"' not in page
    assert f'id="call-{two_funds["call_b"].id}"' in page
    r = client.post_form(
        f"/manage/calls/{two_funds['call_a'].id}/reminders/confirm", {"all_overdue": "1"}
    )
    assert r.status_code == 404
    r = client.post_form(f"/manage/calls/{two_funds['call_a'].id}/reminders", {"reviewer": "1"})
    assert r.status_code == 404


def test_an_applicant_has_no_overview(client, make):
    client.login(make.user("applicant").email)
    assert client.get("/manage/overview").status_code == 403


def test_reminding_every_overdue_reviewer_is_confirmed_then_mailed_and_audited(
    app, client, session, two_funds
):
    call_id = two_funds["call_a"].id
    client.login(two_funds["a"].email)
    client.use_language("en")
    page = _page(client, f"/review-management/calls/{call_id}")
    assert "Chuyên gia Trễ" in page
    assert 'id="outstanding-reviewers"' in page
    r = client.post_form(f"/manage/calls/{call_id}/reminders/confirm", {"all_overdue": "1"})
    assert r.status_code == 200
    confirm = r.get_data(as_text=True)
    assert "1 reviewers will be reminded" in confirm
    assert "Chuyên gia Trễ" in confirm
    assert "Chuyên gia Đúng hạn" not in confirm
    assert (
        session.exec(select(Notification).where(Notification.kind == "review_overdue")).all() == []
    )
    ids = re.findall(r'name="reviewer" value="(\d+)"', confirm)
    r = client.post_form(f"/manage/calls/{call_id}/reminders", {"reviewer": ids})
    assert r.status_code == 302
    assert r.location.endswith("#reminders")
    late = session.exec(select(ReviewAssignment)).all()
    overdue = [n for n in session.exec(select(Notification)).all() if n.kind == "review_overdue"]
    assert len(overdue) == 1
    assert overdue[0].email_state == EmailState.SENT
    reviewer = session.get(User, overdue[0].user_id)
    assert reviewer.name == "Chuyên gia Trễ"
    subjects = [str(m["Subject"]) for m in messages(app, reviewer.email)]
    assert "rdfund: Quá hạn: phản biện «Hồ sơ A»" in subjects
    assert len(late) == 2
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "remind_reviewers")).one()
    assert entry.object_type == "call"
    assert entry.object_id == call_id
    assert entry.actor_id == two_funds["a"].id
    assert entry.detail.startswith("1 reviewers, 1 reviews")


def test_chosen_reviewers_are_reminded_as_their_preferences_say(
    app, client, make, session, two_funds
):
    call_id = two_funds["call_a"].id
    on_time = session.exec(
        select(ReviewAssignment).where(ReviewAssignment.due_on >= to_local(utcnow()).date())
    ).one()
    reviewer = session.get(User, on_time.reviewer_id)
    set_email_preferences(session, actor=reviewer, choices={"review_reminder": False})
    session.commit()
    before = len(messages(app, reviewer.email))
    client.login(two_funds["a"].email)
    r = client.post_form(
        f"/manage/calls/{call_id}/reminders/confirm",
        {"reviewer": [str(reviewer.id), "x", "999999"]},
    )
    assert "Chuyên gia Đúng hạn" in r.get_data(as_text=True)
    r = client.post_form(f"/manage/calls/{call_id}/reminders", {"reviewer": [str(reviewer.id)]})
    assert r.status_code == 302
    n = session.exec(select(Notification).where(Notification.kind == "review_reminder")).one()
    assert n.user_id == reviewer.id
    assert n.email_state == EmailState.SKIPPED
    assert len(messages(app, reviewer.email)) == before


def test_reminding_nobody_is_refused_without_an_error_page(client, session, two_funds):
    call_id = two_funds["call_a"].id
    client.login(two_funds["a"].email)
    r = client.post_form(f"/manage/calls/{call_id}/reminders/confirm", {"reviewer": ["abc"]})
    assert r.status_code == 200
    assert 'id="send-reminders"' not in r.get_data(as_text=True)
    r = client.post_form(
        f"/manage/calls/{call_id}/reminders", {"reviewer": ["abc", "-1", "9" * 30, "99999999999"]}
    )
    assert r.status_code == 302
    assert (
        session.exec(select(AuditEntry).where(AuditEntry.action == "remind_reviewers")).all() == []
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_demo_overview_and_timelines_render_in_both_languages(client, runner, lang):
    from portal import demo

    runner.invoke(args=["seed-demo"])
    pages = {
        "manager@example.org": [
            "/manage/overview",
            "/review-management/reviewers?q=nguyen",
            "/review-management/calls/2",
            "/projects/?q=chip",
        ],
        "applicant@example.org": ["/proposals", "/proposals/1"],
    }
    for email, urls in pages.items():
        client.login(email, demo.DEMO_PASSWORD)
        client.use_language(lang)
        for url in urls:
            assert f'lang="{lang}"' in _page(client, url), url
        client.logout()
