"""Overlap pages: a submission is screened through the outbox, the manager sees the pair on
the list and the proposal's page, reads the two texts side by side and decides; the other
fund's manager sees the title and host only; the register upload lists errors by line; a
fund's limits show on the applicant's checklist."""

from io import BytesIO

from sqlmodel import select

from funds.limits.services import save_fund_limits
from reviews.overlap.models import OverlapFlag
from tests.overlap_texts import BIOSENSOR, BIOSENSOR_REWORDED, SMART_GRID


def test_a_submission_is_screened_and_the_manager_decides_on_the_pair(client, make, session):
    fund_a, fund_b = make.fund(code="QA", name="Quỹ A"), make.fund(code="QB", name="Quỹ B")
    manager_a, manager_b = make.manager_of(fund_a), make.manager_of(fund_b)
    earlier = make.proposal(call=make.call(fund=fund_b), submit=True, **BIOSENSOR)
    pi = make.user("applicant")
    draft = make.proposal(call=make.call(fund=fund_a), pi=pi, **BIOSENSOR_REWORDED)
    client.login(pi.email)
    r = client.post_form(f"/proposals/{draft.id}/submit", {"confirm": "yes"})
    assert r.status_code == 302
    flag = session.exec(select(OverlapFlag)).one()  # screened after the commit, by the outbox
    assert flag.other_proposal_id == earlier.id
    client.logout()

    client.login(manager_a.email)
    listing = client.get("/overlap").get_data(as_text=True)
    assert earlier.title in listing
    assert "Quỹ B" in listing
    page = client.get(f"/proposals/{draft.id}").get_data(as_text=True)
    assert f"/overlap/pairs/{flag.id}" in page
    pair = client.get(f"/overlap/pairs/{flag.id}").get_data(as_text=True)
    assert draft.abstract in pair
    assert earlier.abstract not in pair  # another fund's pending proposal: title and host only
    assert "decision-form" in pair
    bad = client.post_form(f"/overlap/pairs/{flag.id}", {"decision": "", "note": "giữ lại"})
    assert bad.status_code == 422
    assert "giữ lại" in bad.get_data(as_text=True)
    done = client.post_form(
        f"/overlap/pairs/{flag.id}", {"decision": "duplicate", "note": "Nộp trùng hai quỹ."}
    )
    assert done.status_code == 302
    session.refresh(flag)
    assert (flag.decision, flag.decided_by) == ("duplicate", manager_a.id)
    client.logout()

    client.login(manager_b.email)
    seen = client.get(f"/overlap/pairs/{flag.id}").get_data(as_text=True)
    assert earlier.abstract in seen
    assert draft.abstract not in seen
    assert "decision-form" not in seen
    assert client.post_form(f"/overlap/pairs/{flag.id}", {"decision": "distinct"}).status_code == (
        403
    )


def test_an_applicant_cannot_open_the_overlap_pages(client, make):
    client.login(make.user("applicant").email)
    assert client.get("/overlap").status_code == 403
    assert client.get("/overlap/register").status_code == 403


def test_the_register_upload_lists_errors_by_line_and_never_fails(client, make, session):
    client.login(make.manager().email)
    csv = "mã,tên,năm bắt đầu\nKC.01/24,Cảm biến sinh học,2024\n,Thiếu mã,2024\nKC.02/24,X,abc\n"
    r = client.post_form(
        "/overlap/register",
        {"file": (BytesIO(csv.encode()), "register.csv")},
        content_type="multipart/form-data",
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "import-errors" in page
    assert page.count("<li>") >= 2
    for junk in (b"\xff\xfe\x00garbage", b""):
        r = client.post_form(
            "/overlap/register",
            {"file": (BytesIO(junk), "junk.csv")},
            content_type="multipart/form-data",
        )
        assert r.status_code in (200, 422)


def test_a_funds_limit_shows_on_the_checklist_and_refuses_the_submission(client, make, session):
    fund = make.fund()
    manager = make.manager_of(fund)
    pi = make.user("applicant")
    make.proposal(call=make.call(), pi=pi, submit=True, **SMART_GRID)
    save_fund_limits(
        session,
        actor=manager,
        fund_id=fund.id,
        values={"max_led_proposals": 1, "max_active_projects": 0, "overlap_threshold_pct": 50},
    )
    session.commit()
    draft = make.proposal(call=make.call(fund=fund), pi=pi, **BIOSENSOR)
    client.login(pi.email)
    client.use_language("en")
    page = client.get(f"/proposals/{draft.id}").get_data(as_text=True)
    assert "this fund allows a person to lead at most 1 at once" in page
    r = client.post_form(f"/proposals/{draft.id}/submit", {"confirm": "yes"}, follow_redirects=True)
    assert "this fund allows a person to lead at most 1 at once" in r.get_data(as_text=True)


def test_a_manager_sets_the_funds_limits_and_bad_values_stay_at_their_field(client, make):
    fund = make.fund()
    manager = make.manager_of(fund)
    client.login(manager.email)
    url = f"/overlap/funds/{fund.id}/limits"
    assert client.get(url).status_code == 200
    bad = client.post_form(
        url, {"max_led_proposals": "2", "max_active_projects": "1", "overlap_threshold_pct": "5"}
    )
    assert bad.status_code == 422
    good = client.post_form(
        url, {"max_led_proposals": "2", "max_active_projects": "1", "overlap_threshold_pct": "60"}
    )
    assert good.status_code == 302
    client.logout()
    client.login(make.manager_of(make.fund()).email)
    assert client.get(url).status_code == 404


def test_an_administrator_reaches_the_register_from_the_menu_but_not_the_pairs(client, make):
    client.login(make.admin().email)
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert 'href="/overlap/register"' in home
    page = client.get("/overlap/register").get_data(as_text=True)
    assert 'href="/overlap"' not in page
    assert client.get("/overlap").status_code == 403
