"""Demo budget data for development, through the import service (no second code path).

The lead calls `seed_budget_demo(session)` from `seed-demo` after the demo fund exists.
Figures are illustrative, of the order of Vietnam's budget (total state budget expenditure
about 2.5 million billion đồng).
"""

from sqlmodel import Session, select

from funds.compliance.importing import ImportFile
from funds.compliance.models import FiscalYear
from funds.compliance.services import import_budget

BILLION = 1_000_000_000
YEARS = [  # year, version, total, S&T/I/DX appropriation, state S&T budget (billion đồng)
    # 2024 is judged by Law 29/2013/QH13 Art. 49 (S&T ≥ 2%); from 2025 by Resolution 57-NQ/TW
    (2024, "original", 2_120_000, 41_000, 30_000),
    (2024, "final", 2_080_000, 40_980, 29_500),
    # 2025 reached 3% only after the mid-year top-up of 25,000 billion (revised estimate)
    (2025, "original", 2_548_000, 51_440, 44_000),
    (2025, "revised", 2_548_000, 76_440, 48_000),
    (2026, "original", 2_700_000, 86_000, 52_000),
    (2027, "original", 2_850_000, 95_000, 60_000),
]
STATISTICS = [  # year, GDP, GERD state, GERD non-state (billion đồng; illustrative)
    (2023, 10_221_800, 21_500, 19_300),
    (2024, 11_511_900, 24_800, 23_100),
]
PROJECTS = [  # code, title, area, {year: committed state billion}, non-state share (%)
    (
        "DEMO-001",
        "Thiết kế vi mạch RISC-V tiết kiệm năng lượng",
        "SEMICONDUCTOR",
        {2025: 2_000, 2026: 3_500, 2027: 3_000},
        30,
    ),
    (
        "DEMO-002",
        "Mô hình ngôn ngữ lớn cho tiếng Việt y khoa",
        "AI",
        {2025: 1_500, 2026: 2_500},
        50,
    ),
    ("DEMO-003", "Vật liệu pin natri-ion", "MATERIALS", {2026: 1_200, 2027: 1_800}, 60),
    (
        "DEMO-004",
        "Nghiên cứu cơ bản trong toán học",
        "",
        {2024: 4_000, 2025: 4_500, 2026: 5_000, 2027: 5_000},
        0,
    ),
]


def _csv(header: str, rows: list[tuple]) -> ImportFile:
    text = header + "\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n"
    return ImportFile(name=header.split(",")[0] + ".csv", data=text.encode("utf-8"))


def _portfolio_rows(fund_code: str) -> list[tuple]:
    rows = []
    for code, title, area, years, private in PROJECTS:
        for year, committed in years.items():
            amount = committed * BILLION
            rows += [
                (code, title, fund_code, area, year, "planned", "state", amount),
                (code, title, fund_code, area, year, "committed", "state", amount),
                (
                    code,
                    title,
                    fund_code,
                    area,
                    year,
                    "disbursed",
                    "state",
                    amount * 3 // 4 if year <= 2025 else 0,
                ),
            ]
            if private:
                rows.append(
                    (
                        code,
                        title,
                        fund_code,
                        area,
                        year,
                        "committed",
                        "nonstate",
                        amount * private // 100,
                    )
                )
    return rows


def seed_budget_demo(
    session: Session,
    *,
    fund_code: str = "NAFOSTED-DEMO",
    fund_name: str = "Quỹ Phát triển khoa học và công nghệ (demo)",
) -> bool:
    """Fiscal years 2024–2027 and a small portfolio; False when already there."""
    if session.exec(select(FiscalYear)).first() is not None:
        return False
    import_budget(
        session,
        actor=None,
        files=[
            _csv("fund_code,name", [(fund_code, fund_name)]),
            _csv(
                "fiscal_year,version,total_state_budget_vnd,stidx_budget_vnd,st_budget_vnd",
                [(y, v, t * BILLION, s * BILLION, st * BILLION) for y, v, t, s, st in YEARS],
            ),
            _csv(
                "fiscal_year,gdp_vnd,gerd_state_vnd,gerd_nonstate_vnd,source",
                [
                    (y, g * BILLION, st * BILLION, ns * BILLION, "illustrative demo figures")
                    for y, g, st, ns in STATISTICS
                ],
            ),
            _csv(
                "project_code,title,fund_code,strategic_area,fiscal_year,basis,source,amount_vnd",
                _portfolio_rows(fund_code),
            ),
        ],
    )
    return True
