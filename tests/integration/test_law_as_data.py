"""The law as dated data: instruments shipped and edited with history, legal settings,
budget estimates by version, national statistics and the strategic list by year."""

import csv
from datetime import date
from importlib import resources

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.compliance.figures import year_figures
from funds.compliance.importing import ImportFile
from funds.compliance.models import BudgetEstimate, FiscalYear, NationalStatistics
from funds.compliance.report import year_report
from funds.compliance.services import ImportRejected, import_budget
from funds.errors import NotAllowed, RuleViolation
from funds.legal import settings
from funds.legal.models import LegalInstrument, LegalInstrumentVersion
from funds.legal.services import EDITABLE, update_instrument, update_setting
from funds.taxonomy.models import StrategicTechnology
from funds.taxonomy.services import update_area


def files(**texts):
    return [ImportFile(name=f"{k}.csv", data=v.encode("utf-8")) for k, v in texts.items()]


def test_the_migration_ships_every_instrument_of_the_data_file(session):
    text = resources.files("funds.data").joinpath("legal_instruments.csv").read_text("utf-8")
    shipped = {r["code"]: r for r in csv.DictReader(text.splitlines())}
    rows = {i.code: i for i in session.exec(select(LegalInstrument)).all()}
    assert set(rows) == set(shipped)
    law93 = rows["law-93-2025-qh15"]
    assert (law93.effective_from, law93.supersedes) == (date(2025, 10, 1), "law-29-2013-qh13")
    assert rows["res-193-2025-qh15"].effective_from == date(2025, 2, 19)
    assert rows["law-29-2013-qh13"].effective_to == date(2025, 9, 30)


def test_every_rule_and_strategic_group_names_an_instrument_in_the_table(session):
    from funds.compliance.models import ComplianceRule

    codes = {i.code for i in session.exec(select(LegalInstrument)).all()}
    rules = session.exec(select(ComplianceRule)).all()
    assert {r.id for r in rules} == {
        "st_share_of_state_budget_2013",
        "st_share_of_state_budget",
        "strategic_share_of_st_budget",
        "st_share_rising",
    }
    assert all(r.instrument_code in codes for r in rules)
    by_id = {r.id: r for r in rules}
    assert (by_id["st_share_of_state_budget_2013"].effective_to, by_id["st_share_rising"].kind) == (
        2024,
        "indicator",
    )
    assert by_id["st_share_of_state_budget"].effective_from == 2025
    for area in session.exec(select(StrategicTechnology)).all():
        assert (area.instrument_code, area.effective_from) == ("decision-1131-qd-ttg-2025", 2025)


def test_an_admin_corrects_an_instrument_and_its_history_keeps_both_states(session, make):
    admin = make.admin()
    decree = session.get(LegalInstrument, "decree-265-2025-nd-cp")
    fields = {k: getattr(decree, k) for k in EDITABLE}
    fields["certainty"] = "S"
    update_instrument(
        session, actor=admin, code="decree-265-2025-nd-cp", fields=fields, note="Đã đối chiếu"
    )
    history = session.exec(
        select(LegalInstrumentVersion).where(
            LegalInstrumentVersion.instrument_code == "decree-265-2025-nd-cp"
        )
    ).all()
    assert [(h.version, h.note) for h in sorted(history, key=lambda h: h.version)] == [
        (1, "as shipped"),
        (2, "Đã đối chiếu"),
    ]
    assert '"certainty": "P"' in history[0].snapshot or '"certainty": "P"' in history[1].snapshot
    assert session.exec(
        select(AuditEntry).where(AuditEntry.object_type == "legal_instrument")
    ).first()


def test_an_instrument_edit_is_refused_without_a_reason_or_with_a_backwards_period(session, make):
    admin = make.admin()
    fields = {k: getattr(session.get(LegalInstrument, "res-57-nq-tw"), k) for k in EDITABLE}
    with pytest.raises(RuleViolation):
        update_instrument(session, actor=admin, code="res-57-nq-tw", fields=fields, note="")
    fields["effective_to"] = date(2020, 1, 1)
    with pytest.raises(RuleViolation) as exc:
        update_instrument(session, actor=admin, code="res-57-nq-tw", fields=fields, note="x")
    assert exc.value.violations[0].field == "effective_to"
    with pytest.raises(NotAllowed):
        update_instrument(
            session, actor=make.manager(), code="res-57-nq-tw", fields=fields, note="x"
        )


def test_a_setting_has_its_default_until_an_admin_sets_it_with_a_reason(session, make):
    assert settings.value(session, "compliance.strategic_share_base") == "st"
    with pytest.raises(RuleViolation):
        update_setting(
            session,
            actor=make.admin(),
            key="compliance.strategic_share_base",
            value="gdp",
            reason="x",
        )
    with pytest.raises(RuleViolation):
        update_setting(
            session,
            actor=make.admin(),
            key="compliance.strategic_share_base",
            value="stidx",
            reason=" ",
        )
    update_setting(
        session,
        actor=make.admin(),
        key="compliance.strategic_share_base",
        value="stidx",
        reason="Hướng dẫn mới của Bộ Tài chính",
    )
    assert settings.value(session, "compliance.strategic_share_base") == "stidx"
    entry = session.exec(select(AuditEntry).where(AuditEntry.object_type == "legal_setting")).one()
    assert (entry.from_state, entry.to_state) == ("st", "stidx")


YEARS = (
    "fiscal_year,version,total_state_budget_vnd,stidx_budget_vnd,st_budget_vnd\n"
    "2025,,1000000,20000,15000\n"
    "2025,revised,1000000,35000,20000\n"
    "2025,final,990000,34000,19000\n"
)


def test_estimates_import_by_version_and_each_is_evaluated_under_its_basis(session, make):
    counts = import_budget(session, actor=make.manager(), files=files(y=YEARS))
    assert counts["budget_years"] == 3
    assert session.get(FiscalYear, 2025).stidx_budget_vnd == 20_000
    assert session.get(BudgetEstimate, (2025, "final")).total_state_budget_vnd == 990_000
    rules = {
        (r["rule"], r["basis"]): r
        for r in year_report(session, 2025)["rules"]
        if r["rule"] == "st_share_of_state_budget"
    }
    assert {b for _r, b in rules} == {"planned", "revised", "final"}
    assert rules[("st_share_of_state_budget", "planned")]["ok"] is False
    assert rules[("st_share_of_state_budget", "revised")]["ok"] is True


def test_a_bad_version_is_refused_with_its_row(session, make):
    with pytest.raises(ImportRejected) as exc:
        import_budget(
            session,
            actor=make.manager(),
            files=files(y=YEARS.replace("2025,final", "2025,draft")),
        )
    (problem,) = exc.value.problems
    assert (problem.row, problem.column) == (4, "version")


def test_national_statistics_import_per_year(session, make):
    text = (
        "fiscal_year,gdp_vnd,gerd_state_vnd,gerd_nonstate_vnd,source\n"
        "2024,11511900000000000,24800000000000,23100000000000,GSO\n"
    )
    import_budget(session, actor=make.manager(), files=files(s=text))
    row = session.get(NationalStatistics, 2024)
    assert (row.gdp_vnd, row.gerd_nonstate_vnd, row.source) == (
        11_511_900_000_000_000,
        23_100_000_000_000,
        "GSO",
    )
    with pytest.raises(ImportRejected):
        import_budget(
            session,
            actor=make.manager(),
            files=files(s="fiscal_year,gdp_vnd,gerd_state_vnd,gerd_nonstate_vnd\n2024,10,8,8\n"),
        )


LEDGER = (
    "project_code,title,fund_code,strategic_area,fiscal_year,basis,source,amount_vnd\n"
    "P1,Chip,NAF,SEMICONDUCTOR,2024,committed,state,100\n"
    "P1,Chip,NAF,SEMICONDUCTOR,2026,committed,state,300\n"
)


def test_a_line_counts_as_strategic_only_in_years_its_group_is_on_the_list(session, make):
    """Decision 1131/QĐ-TTg (12 Jun 2025): the list applies from FY2025; a 2024 line in the
    same area is not strategic, and a group taken off the list counts for no year."""
    import_budget(session, actor=make.manager(), files=files(f="fund_code,name\nNAF,A\n", p=LEDGER))
    years = year_figures(session)
    assert years[2024].basis("committed").state_strategic == 0
    assert years[2026].basis("committed").state_strategic == 300
    update_area(
        session,
        actor=make.admin(),
        code="SEMICONDUCTOR",
        name_vi="Chip bán dẫn",
        name_en="Semiconductor chips",
        source="",
        active=False,
        effective_from=2025,
    )
    assert year_figures(session)[2026].basis("committed").state_strategic == 0


def test_an_inactive_code_is_refused_on_import_with_its_row(session, make):
    admin = make.admin()
    update_area(
        session,
        actor=admin,
        code="BLOCKCHAIN",
        name_vi="Chuỗi khối",
        name_en="Blockchain",
        source="",
        active=False,
    )
    text = LEDGER.replace("SEMICONDUCTOR,2026", "BLOCKCHAIN,2026")
    with pytest.raises(ImportRejected) as exc:
        import_budget(
            session, actor=make.manager(), files=files(f="fund_code,name\nNAF,A\n", p=text)
        )
    (problem,) = exc.value.problems
    assert (problem.row, problem.column) == (3, "strategic_area")
    assert "inactive" in problem.message


def test_the_demo_judges_each_year_by_the_rules_then_in_force(session):
    """2024 by Law 29/2013/QH13 Art. 49(1) (S&T ≥ 2%), not by Resolution 57's 3%; 2025 by
    Resolution 57-NQ/TW §III.3 on the original estimate (fails) and the revised one (the
    mid-year top-up: passes)."""
    from funds.compliance.demo import seed_budget_demo

    seed_budget_demo(session)
    y2024 = year_report(session, 2024)["rules"]
    assert {r["rule"] for r in y2024} == {"st_share_of_state_budget_2013"}
    assert {r["basis"] for r in y2024} == {"planned", "final"}
    assert all(r["legal_basis"] == "Law 29/2013/QH13 Art. 49(1)" for r in y2024)
    y2025 = {(r["rule"], r["basis"]): r for r in year_report(session, 2025)["rules"]}
    assert y2025[("st_share_of_state_budget", "planned")]["ok"] is False
    assert y2025[("st_share_of_state_budget", "revised")]["ok"] is True
    assert y2025[("st_share_rising", "planned")]["kind"] == "indicator"
    assert ("st_share_of_state_budget_2013", "planned") not in y2025
