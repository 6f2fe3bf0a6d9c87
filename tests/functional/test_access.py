"""Access is checked on every object, not only per page."""

import pytest

from portal.i18n import format_day


@pytest.fixture
def world(make):
    alice = make.user("applicant", email="alice@example.org")
    bob = make.user("applicant", email="bob@example.org")
    reviewer = make.user("reviewer", email="r1@example.org")
    other_reviewer = make.user("reviewer", email="r2@example.org")
    p_alice = make.proposal(pi=alice, submit=True)
    p_bob = make.proposal(pi=bob, submit=True)
    assignment = make.assignment(proposal=p_alice, reviewer=reviewer)
    return dict(
        alice=alice,
        bob=bob,
        reviewer=reviewer,
        other_reviewer=other_reviewer,
        p_alice=p_alice,
        p_bob=p_bob,
        assignment=assignment,
    )


def test_applicant_gets_404_for_another_applicants_proposal(client, world):
    client.login(world["bob"].email)
    assert client.get(f"/proposals/{world['p_alice'].id}").status_code == 404
    assert client.get(f"/proposals/{world['p_alice'].id}/edit").status_code == 404
    assert client.post_form(f"/proposals/{world['p_alice'].id}/withdraw", {}).status_code == 404
    assert client.get(f"/proposals/{world['p_bob'].id}").status_code == 200


def test_reviewer_cannot_open_an_unassigned_proposal_or_assignment(client, world):
    client.login(world["other_reviewer"].email)
    assert client.get(f"/reviews/{world['assignment'].id}").status_code == 404
    assert client.get(f"/proposals/{world['p_alice'].id}").status_code == 404
    page = client.get("/reviews").get_data(as_text=True)
    assert world["p_alice"].title not in page


def test_assigned_reviewer_sees_the_proposal_through_the_assignment(client, world):
    client.login(world["reviewer"].email)
    assert client.get(f"/reviews/{world['assignment'].id}").status_code == 200
    client.use_language("en")
    page = client.get("/reviews").get_data(as_text=True)
    due = world["assignment"].due_on
    assert due is not None  # an assignment has its due date, shown in the list
    assert format_day(due, "en") in page  # 23 Dec 2026


@pytest.mark.parametrize(
    "who, url",
    [
        ("alice", "/manage"),
        ("alice", "/funds/new"),
        ("alice", "/admin/audit"),
        ("reviewer", "/manage"),
        ("reviewer", "/proposals"),
        ("alice", "/reviews"),
        ("reviewer", "/admin/users"),
    ],
)
def test_wrong_role_gets_a_clear_403(client, world, who, url):
    client.login(world[who].email)
    client.use_language("en")
    r = client.get(url)
    assert r.status_code == 403
    assert "permission" in r.get_data(as_text=True)


def test_applicant_cannot_decide_or_assign(client, world):
    client.login(world["alice"].email)
    pid = world["p_alice"].id
    assert client.post_form(f"/proposals/{pid}/decision", {"outcome": "funded"}).status_code == 403
    assert (
        client.post_form(
            f"/proposals/{pid}/reviewers", {"reviewer_id": world["reviewer"].id}
        ).status_code
        == 403
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    r = client.get(f"/proposals/{world['p_alice'].id}")
    assert r.status_code == 302
    assert "/auth/login" in r.location


def test_post_without_csrf_token_is_refused_and_changes_nothing(client, world, session):
    client.login(world["alice"].email)
    client.use_language("en")
    pid = world["p_alice"].id
    r = client.post(f"/proposals/{pid}/withdraw", data={})
    assert r.status_code == 400
    assert "Nothing was saved" in r.get_data(as_text=True)
    session.expire_all()
    from funds.proposals.models import Proposal

    assert session.get(Proposal, pid).status == "submitted"


def test_sign_out_everywhere_revokes_other_sessions(app, client, world):
    other = app.test_client()
    from tests.conftest import PortalClient

    other = PortalClient(other)
    other.login(world["alice"].email)
    client.login(world["alice"].email)
    client.post_form("/auth/logout-everywhere", {})
    assert other.get("/proposals").status_code == 302


def test_pages_carry_security_headers_and_are_not_cached(client):
    r = client.get("/auth/login")
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Cache-Control"] == "no-store"
    cookie = client.get_cookie("session")
    assert cookie is None or cookie.http_only
