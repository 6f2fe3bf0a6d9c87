"""Budget pages through the client: roles, drill-down, import upload, rules, slate."""

from io import BytesIO

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.clock import to_local
from funds.compliance.models import ComplianceRule, ComplianceRuleVersion, SlateAcknowledgement
from tests.budget_data import FUNDS, PORTFOLIO, YEARS, write_files


@pytest.fixture
def imported(runner, tmp_path):
    assert runner.invoke(args=["import-budget", *map(str, write_files(tmp_path))]).exit_code == 0


@pytest.mark.parametrize(
    "url",
    [
        "/budget/",
        "/budget/lines?year=2026",
        "/budget/import",
        "/budget/rules",
        "/budget/slate",
        "/budget/report.xlsx",
        "/budget/rules/st_share_rising",
    ],
)
def test_applicants_and_reviewers_get_403_on_every_budget_page(client, make, url):
    client.login(make.user("reviewer").email)
    assert client.get(url).status_code == 403


def test_a_manager_cannot_edit_rules_and_an_unknown_rule_is_404(client, make):
    client.login(make.manager().email)
    assert client.get("/budget/rules/st_share_rising").status_code == 403
    admin = make.user("admin")
    client.logout()
    client.login(admin.email)
    assert client.get("/budget/rules/no_such_rule").status_code == 404


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_pages_render_for_a_manager_with_and_without_data(client, make, runner, tmp_path, lang):
    client.login(make.manager().email)
    client.post_form("/language", {"lang": lang})
    assert client.get("/budget/").status_code == 200
    imported = runner.invoke(args=["import-budget", *map(str, write_files(tmp_path))])
    assert imported.exit_code == 0, imported.output
    for url in [
        "/budget/",
        "/budget/?year=2025",
        "/budget/rules",
        "/budget/import",
        "/budget/slate",
        "/budget/lines?year=2026&basis=committed&source=state",
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert f'lang="{lang}"' in r.get_data(as_text=True), url


def test_drill_down_lists_the_lines_behind_the_strategic_committed_figure(client, make, imported):
    client.login(make.manager().email)
    page = client.get("/budget/lines?year=2026&basis=committed&source=state&strategic=1")
    text = page.get_data(as_text=True)
    assert "<td>P1</td>" in text
    assert "<td>P2</td>" not in text  # a cell, not any "P2" (a random token may hold one)
    assert (
        "/budget/lines?year=2026&amp;basis=committed&amp;source=state&amp;strategic=1"
        in client.get("/budget/?year=2026").get_data(as_text=True)
    )


def test_uploading_bad_files_lists_every_error_and_imports_nothing(client, make, session):
    client.login(make.manager().email)
    bad = PORTFOLIO + "P3,X,NOFUND,AI,2026,committed,state,abc\n"
    r = client.post_form(
        "/budget/import",
        {
            "files": [
                (BytesIO(FUNDS.encode()), "funds.csv"),
                (BytesIO(YEARS.encode()), "years.csv"),
                (BytesIO(bad.encode()), "portfolio.csv"),
            ]
        },
        content_type="multipart/form-data",
        follow_redirects=True,  # to the import job's page, which lists every error
    )
    text = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "portfolio.csv" in text
    assert "fund_code" in text
    assert "amount_vnd" in text
    assert '<option value="2026"' not in client.get("/budget/").get_data(as_text=True)


def test_uploading_good_files_imports_them(client, make):
    client.login(make.manager().email)
    r = client.post_form(
        "/budget/import",
        {
            "files": [
                (BytesIO(FUNDS.encode()), "funds.csv"),
                (BytesIO(YEARS.encode()), "years.xlsx.csv"),
                (BytesIO(PORTFOLIO.encode()), "portfolio.csv"),
            ]
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    assert '<option value="2026"' in client.get("/budget/").get_data(as_text=True)


def test_an_admin_changes_a_threshold_and_the_history_keeps_both(client, make, session, imported):
    client.login(make.user("admin").email)
    r = client.post_form(
        "/budget/rules/strategic_share_of_st_budget",
        {"threshold": "0.2", "source": "Nghị quyết mới", "note": "Tăng sàn"},
    )
    assert r.status_code == 302
    session.expire_all()
    assert session.get(ComplianceRule, "strategic_share_of_st_budget").threshold == "0.2"
    versions = session.exec(
        select(ComplianceRuleVersion.threshold).where(
            ComplianceRuleVersion.rule_id == "strategic_share_of_st_budget"
        )
    ).all()
    assert sorted(versions) == ["0.15", "0.15", "0.2"]  # 0005, dated by 0015_law, the edit
    r = client.post_form(
        "/budget/rules/strategic_share_of_st_budget", {"threshold": "15%", "source": "x"}
    )
    assert r.status_code == 200
    assert "0.15" in r.get_data(as_text=True)


def test_a_slate_below_the_floor_needs_a_logged_acknowledgement(client, make, session, imported):
    call = make.call()
    year = to_local(call.closes_at).year
    p = make.proposal(call=call, area_code=None, requested_vnd=1_000_000, submit=True)
    client.login(make.manager().email)
    page = client.get(f"/budget/slate?proposal={p.id}").get_data(as_text=True)
    assert f'data-year="{year}"' in page
    assert 'name="note"' in page
    r = client.post_form("/budget/slate", {"proposal": p.id, "note": ""})
    assert r.status_code == 200
    assert session.exec(select(SlateAcknowledgement)).first() is None
    r = client.post_form(
        "/budget/slate", {"proposal": p.id, "confirm": "y", "note": "Ưu tiên cấp bách"}
    )
    assert r.status_code == 302
    ack = session.exec(select(SlateAcknowledgement)).one()
    assert ack.proposal_ids == str(p.id)
    assert str(year) in ack.years_below
    assert (
        session.exec(select(AuditEntry).where(AuditEntry.object_type == "slate_acknowledgement"))
        .one()
        .actor_id
        == ack.actor_id
    )


def test_a_slate_keeping_every_year_above_the_floor_needs_no_acknowledgement(
    client, make, runner, tmp_path
):
    call = make.call()
    year = to_local(call.closes_at).year
    (tmp_path / "y.csv").write_text(
        "fiscal_year,total_state_budget_vnd,stidx_budget_vnd,st_budget_vnd\n"
        f"{year},1000000000,100000000,10000000\n",
        encoding="utf-8",
    )
    assert runner.invoke(args=["import-budget", str(tmp_path / "y.csv")]).exit_code == 0
    p = make.proposal(call=call, area_code="AI", requested_vnd=2_000_000, submit=True)
    client.login(make.manager().email)
    page = client.get(f"/budget/slate?proposal={p.id}").get_data(as_text=True)
    assert 'name="note"' not in page
    assert "20%" in page


def test_a_funds_allocation_shows_its_strategic_share_on_the_dashboard_and_in_excel(
    client, make, imported
):
    import pandas as pd

    client.login(make.manager().email)
    client.post_form("/language", {"lang": "en"})
    page = client.get("/budget/?year=2026").get_data(as_text=True)
    assert "NAF — Quỹ A" in page
    assert "₫20,000" in page
    assert "20%" in page
    sheets = pd.read_excel(BytesIO(client.get("/budget/report.xlsx").data), sheet_name=None)
    funds = sheets["Funds"]  # headers in the reader's language (English here)
    naf = funds[funds["Fund code"] == "NAF"].iloc[0]
    share = naf["Strategic share of the allocation (committed)"]
    assert (naf["Allocation (đồng)"], share) == (20000, 0.2)


@pytest.mark.parametrize(
    "url", ["/budget/import", "/budget/slate", "/budget/rules/strategic_share_of_st_budget"]
)
def test_posts_without_a_csrf_token_are_refused(client, make, session, url):
    client.login(make.user("admin", "manager").email)
    r = client.post(url, data={"threshold": "0.5", "source": "x", "note": "x", "confirm": "y"})
    assert r.status_code == 400
    session.expire_all()
    assert session.get(ComplianceRule, "strategic_share_of_st_budget").threshold == "0.15"
