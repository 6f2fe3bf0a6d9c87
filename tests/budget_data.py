"""Budget test data (CSV text) and its hand-computed compliance report."""

FUNDS = "fund_code,name\nNAF,Quỹ A\nNIF,Quỹ B\n"
YEARS = (
    "fiscal_year,total_state_budget_vnd,stidx_budget_vnd,st_budget_vnd\n"
    "2025,1000000,35000,20000\n2026,2000000,50000,30000\n2027,0,0,0\n"
)
PORTFOLIO = (
    "project_code,title,fund_code,strategic_area,fiscal_year,basis,source,amount_vnd\n"
    "P1,Chip bán dẫn,NAF,SEMICONDUCTOR,2026,planned,state,6000\n"
    "P2,Nghiên cứu cơ bản,NIF,,2026,planned,state,4000\n"
    "P2,Nghiên cứu cơ bản,NIF,,2026,planned,nonstate,20000\n"
    "P1,Chip bán dẫn,NAF,SEMICONDUCTOR,2026,committed,state,4000\n"
    "P2,Nghiên cứu cơ bản,NIF,,2026,committed,state,4000\n"
    "P1,Chip bán dẫn,NAF,SEMICONDUCTOR,2026,committed,nonstate,8000\n"
    "P1,Chip bán dẫn,NAF,SEMICONDUCTOR,2026,disbursed,state,1000\n"
)
ALLOCATIONS = "fund_code,fiscal_year,amount_vnd\nNAF,2026,20000\n"


def rule(rule, basis, value, threshold, ok, shortfall, kind="floor", reason=None):
    return {
        "rule": rule,
        "basis": basis,
        "kind": kind,
        "value": value,
        "threshold": threshold,
        "ok": ok,
        "shortfall_vnd": shortfall,
        "reason": reason,
    }


EXPECTED = {
    2025: {
        "fiscal_year": 2025,
        "rules": [
            rule("st_share_of_state_budget", "planned", 0.035, 0.03, True, 0),
            rule(
                "st_share_rising",
                "planned",
                None,
                None,
                None,
                None,
                reason=("Not evaluated: fiscal year 2024 has no budget figures to compare with."),
            ),
            rule("strategic_share_of_st_budget", "planned", 0, 0.15, False, 3000),
            rule("strategic_share_of_st_budget", "committed", 0, 0.15, False, 3000),
            rule("strategic_share_of_st_budget", "disbursed", 0, 0.15, False, 3000),
            *[
                rule(
                    "private_share_of_rd",
                    b,
                    None,
                    0.6,
                    None,
                    None,
                    kind="indicator",
                    reason=("Not evaluable: no R&D spending is recorded for 2025 on this basis."),
                )
                for b in ("planned", "committed", "disbursed")
            ],
        ],
    },
    2026: {
        "fiscal_year": 2026,
        "rules": [
            rule("st_share_of_state_budget", "planned", 0.025, 0.03, False, 10000),
            rule("st_share_rising", "planned", 0.025, 0.035, False, 20000),
            rule("strategic_share_of_st_budget", "planned", 0.2, 0.15, True, 0),
            rule("strategic_share_of_st_budget", "committed", 0.133333, 0.15, False, 500),
            rule("strategic_share_of_st_budget", "disbursed", 0.033333, 0.15, False, 3500),
            rule("private_share_of_rd", "planned", 0.666667, 0.6, True, 0, kind="indicator"),
            rule("private_share_of_rd", "committed", 0.5, 0.6, False, 4001, kind="indicator"),
            rule("private_share_of_rd", "disbursed", 0, 0.6, False, 1501, kind="indicator"),
        ],
    },
    2027: {
        "fiscal_year": 2027,
        "rules": [
            rule(
                "st_share_of_state_budget",
                "planned",
                None,
                0.03,
                None,
                None,
                reason="Not evaluable: the total state budget of 2027 is zero.",
            ),
            rule(
                "st_share_rising",
                "planned",
                None,
                0.025,
                None,
                None,
                reason="Not evaluable: the total state budget of 2027 is zero.",
            ),
            *[
                rule(
                    "strategic_share_of_st_budget",
                    b,
                    None,
                    0.15,
                    None,
                    None,
                    reason="Not evaluable: the state S&T budget of 2027 is zero.",
                )
                for b in ("planned", "committed", "disbursed")
            ],
            *[
                rule(
                    "private_share_of_rd",
                    b,
                    None,
                    0.6,
                    None,
                    None,
                    kind="indicator",
                    reason=("Not evaluable: no R&D spending is recorded for 2027 on this basis."),
                )
                for b in ("planned", "committed", "disbursed")
            ],
        ],
    },
}


def write_files(folder):
    """The three CSV files in `folder`; returns their paths."""
    paths = []
    for name, text in (
        ("funds.csv", FUNDS),
        ("budget_years.csv", YEARS),
        ("portfolio.csv", PORTFOLIO),
        ("allocations.csv", ALLOCATIONS),
    ):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
