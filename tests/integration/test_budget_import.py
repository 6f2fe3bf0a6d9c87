"""Importing budget data: all or nothing, every error located, re-imports replace."""

from io import BytesIO

import openpyxl
import pytest
from sqlmodel import func, select

from funds.compliance.figures import year_figures
from funds.compliance.importing import ImportFile
from funds.compliance.models import FiscalYear
from funds.compliance.services import ImportRejected, import_budget
from funds.portfolio.models import PortfolioLine, PortfolioTotal
from funds.portfolio.services import rebuild_portfolio_totals, record_portfolio_line
from tests.budget_data import FUNDS, PORTFOLIO, YEARS


def files(**texts):
    return [ImportFile(name=f"{k}.csv", data=v.encode("utf-8")) for k, v in texts.items()]


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def test_a_good_import_writes_every_table_and_reimporting_does_not_double(session, make):
    manager = make.manager()
    counts = import_budget(session, actor=manager, files=files(f=FUNDS, y=YEARS, p=PORTFOLIO))
    assert counts == {
        "funds": 2,
        "budget_years": 4,
        "national_statistics": 0,
        "fund_allocations": 0,
        "portfolio": 7,
    }
    before = year_figures(session)
    import_budget(session, actor=manager, files=files(p=PORTFOLIO, y=YEARS))
    assert count(session, PortfolioLine) == 7
    assert count(session, FiscalYear) == 4
    assert year_figures(session) == before


def test_a_projects_row_for_the_same_year_basis_and_source_replaces_the_earlier(session, make):
    import_budget(session, actor=None, files=files(f=FUNDS, y=YEARS, p=PORTFOLIO))
    header = PORTFOLIO.splitlines()[0]
    import_budget(
        session,
        actor=None,
        files=files(p=f"{header}\nP1,Chip bán dẫn,NAF,SEMICONDUCTOR,2026,committed,state,9000\n"),
    )
    assert count(session, PortfolioLine) == 7
    assert year_figures(session)[2026].basis("committed").state_strategic == 9000


BAD = (
    "project_code,title,fund_code,strategic_area,fiscal_year,basis,source,amount_vnd\n"
    "P9,Ok,NAF,AI,2026,committed,state,100\n"
    ",Thiếu mã,NOPE,XYZ,1800,paid,public,1.5\n"
    "P10,Âm,NAF,,2026,planned,state,-5\n"
)


def test_bad_rows_change_nothing_and_every_error_has_file_row_and_column(session, make):
    import_budget(session, actor=None, files=files(f=FUNDS))
    session.commit()
    with pytest.raises(ImportRejected) as caught:
        import_budget(session, actor=None, files=files(y=YEARS, bad=BAD))
    session.rollback()
    found = {(p.file, p.row, p.column) for p in caught.value.problems}
    assert found == {
        ("bad.csv", 3, c)
        for c in (
            "project_code",
            "fund_code",
            "strategic_area",
            "fiscal_year",
            "basis",
            "source",
            "amount_vnd",
        )
    } | {("bad.csv", 4, "amount_vnd")}
    assert count(session, PortfolioLine) == 0
    assert count(session, FiscalYear) == 0


def test_an_unrecognised_header_and_an_unreadable_file_are_reported(session):
    with pytest.raises(ImportRejected) as caught:
        import_budget(
            session,
            actor=None,
            files=[
                ImportFile(name="x.csv", data=b"a,b\n1,2\n"),
                ImportFile(name="y.xlsx", data=b"not a workbook"),
            ],
        )
    assert [(p.file, p.row) for p in caught.value.problems] == [("x.csv", 1), ("y.xlsx", None)]


def test_budget_lines_inconsistent_with_each_other_are_refused(session):
    with pytest.raises(ImportRejected) as caught:
        import_budget(
            session,
            actor=None,
            files=files(
                y=(
                    "fiscal_year,total_state_budget_vnd,stidx_budget_vnd,st_budget_vnd\n"
                    "2026,100,200,300\n"
                )
            ),
        )
    assert {p.column for p in caught.value.problems} == {"stidx_budget_vnd", "st_budget_vnd"}


def test_xlsx_files_are_recognised_by_header_and_imported(session):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [line.split(",") for line in YEARS.splitlines()]:
        sheet.append([int(v) if v.isdigit() else v for v in row])
    buffer = BytesIO()
    book.save(buffer)
    import_budget(
        session, actor=None, files=[ImportFile(name="years.xlsx", data=buffer.getvalue())]
    )
    assert session.get(FiscalYear, 2026).st_budget_vnd == 30_000


def test_an_applicant_cannot_import(session, make):
    from funds.errors import NotAllowed

    with pytest.raises(NotAllowed):
        import_budget(session, actor=make.user("applicant"), files=files(f=FUNDS))


def test_recording_single_lines_keeps_the_totals_equal_to_a_full_rebuild(session, make):
    fund = make.fund()
    for amount, area in [(100, "AI"), (250, "AI"), (70, None)]:
        record_portfolio_line(
            session,
            project_code="AW-1",
            title="Award",
            fund_id=fund.id,
            area_code=area,
            fiscal_year=2026,
            basis="committed",
            source="state",
            amount_vnd=amount,
        )
    record_portfolio_line(
        session,
        project_code="AW-2",
        title="Other",
        fund_id=fund.id,
        area_code="AI",
        fiscal_year=2026,
        basis="committed",
        source="state",
        amount_vnd=30,
    )

    def totals():
        rows = session.exec(
            select(PortfolioTotal.area_key, PortfolioTotal.amount_vnd, PortfolioTotal.line_count)
        ).all()
        return sorted((k, a, c) for k, a, c in rows if c)

    incremental = totals()
    rebuild_portfolio_totals(session)
    assert incremental == totals() == [("", 70, 1), ("AI", 30, 1)]


def test_the_budget_demo_seeds_once_and_evaluates_every_year(session):
    from funds.compliance.demo import seed_budget_demo
    from funds.compliance.report import year_report

    assert seed_budget_demo(session) is True
    assert seed_budget_demo(session) is False
    report = year_report(session, 2026)
    assert {r["rule"] for r in report["rules"]} >= {
        "st_share_of_state_budget",
        "strategic_share_of_st_budget",
    }


REPEATS = (
    "project_code,title,fund_code,strategic_area,fiscal_year,basis,source,amount_vnd\n"
    "P1,Chip,NAF,SEMICONDUCTOR,2026,planned,state,100\n"
    "P1,Chip,NAF,SEMICONDUCTOR,2026,planned,state,150\n"
    "P2,Máy học,naf,ai,2026,planned,state,70\n"
    " P1 ,Chip mới,NAF,SEMICONDUCTOR,2026,Planned,STATE,300\n"
    "P3,Cơ bản,NIF,,2027,committed,nonstate,5\n"
)


def stage_left(session) -> bool:
    """Whether the import's temporary stage table is still there on this connection."""
    from sqlalchemy import text

    from funds.compliance.loading import STAGE

    if session.get_bind().dialect.name == "postgresql":
        found = session.execute(text("SELECT to_regclass(:t)"), {"t": STAGE}).scalar()
    else:
        found = session.execute(
            text("SELECT name FROM sqlite_temp_master WHERE name = :t"), {"t": STAGE}
        ).scalar()
    return found is not None


def test_a_ledger_file_in_many_chunks_writes_the_last_line_of_each_key(session, monkeypatch):
    """The stage path (COPY on PostgreSQL, executemany on SQLite): the same lines and totals
    on both databases, chunk by chunk; repeats count once per chunk, as they always did."""
    from funds.compliance import importing

    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)
    counts = import_budget(session, actor=None, files=files(f=FUNDS, y=YEARS, p=REPEATS))
    assert counts["portfolio"] == 4  # chunk one holds a repeat: 1 + 2 + 1
    lines = session.exec(
        select(
            PortfolioLine.project_code,
            PortfolioLine.title,
            PortfolioLine.area_code,
            PortfolioLine.fiscal_year,
            PortfolioLine.basis,
            PortfolioLine.source,
            PortfolioLine.amount_vnd,
        ).order_by(PortfolioLine.project_code)
    ).all()
    assert [tuple(line) for line in lines] == [
        ("P1", "Chip mới", "SEMICONDUCTOR", 2026, "planned", "state", 300),
        ("P2", "Máy học", "AI", 2026, "planned", "state", 70),
        ("P3", "Cơ bản", None, 2027, "committed", "nonstate", 5),
    ]
    totals = session.exec(
        select(PortfolioTotal.area_key, PortfolioTotal.amount_vnd, PortfolioTotal.line_count)
    ).all()
    assert sorted(tuple(t) for t in totals) == [
        ("", 5, 1),
        ("AI", 70, 1),
        ("SEMICONDUCTOR", 300, 1),
    ]
    assert not stage_left(session)


def test_a_rejected_ledger_file_leaves_no_stage_behind(session, monkeypatch):
    from funds.compliance import importing

    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)
    with pytest.raises(ImportRejected):
        import_budget(session, actor=None, files=files(f=FUNDS, p=REPEATS + BAD.split("\n", 1)[1]))
    assert not stage_left(session)
    assert count(session, PortfolioLine) == 0
