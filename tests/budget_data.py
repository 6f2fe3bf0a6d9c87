"""Budget test data (CSV text) and its hand-computed compliance report."""

FUNDS = "fund_code,name\nNAF,Quỹ A\nNIF,Quỹ B\n"
YEARS = (
    "fiscal_year,total_state_budget_vnd,stidx_budget_vnd,st_budget_vnd\n"
    "2024,2120000,41000,30000\n2025,1000000,35000,20000\n2026,2000000,50000,30000\n2027,0,0,0\n"
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


R57 = ("Resolution 57-NQ/TW §III.3", "res-57-nq-tw")
LAW2013 = ("Law 29/2013/QH13 Art. 49(1)", "law-29-2013-qh13")


def rule(rule, basis, value, threshold, ok, shortfall, kind="floor", reason=None, **extra):
    """One rule's JSON row; the legal basis and base follow from the rule."""
    cited = LAW2013 if rule.endswith("_2013") else R57
    measure = "stidx" if rule in ("st_share_of_state_budget", "st_share_rising") else "st"
    row = {
        "rule": rule,
        "basis": basis,
        "kind": kind,
        "value": value,
        "threshold": threshold,
        "ok": ok,
        "shortfall_vnd": shortfall,
        "legal_basis": cited[0],
        "instrument": cited[1],
        "base": f"{'planned' if rule.startswith('strategic') else basis}:{measure}",
        "reason": reason,
    }
    row.update(extra)
    return row


def strategic(basis, value, ok, shortfall, coverage, warning=True, reason=None):
    return rule(
        "strategic_share_of_st_budget",
        basis,
        value,
        0.15,
        ok,
        shortfall,
        reason=reason,
        coverage=coverage,
        coverage_warning=warning,
    )


def rising(value, threshold, reason=None):
    return rule("st_share_rising", "planned", value, threshold, None, 0, "indicator", reason)


EXPECTED = {
    # FY2024: the Law on Science and Technology 2013, Art. 49(1): S&T ≥ 2% (no earlier year,
    # so no rising indicator; Resolution 57's floors are not yet in force)
    2024: {
        "fiscal_year": 2024,
        "rules": [rule("st_share_of_state_budget_2013", "planned", 0.014151, 0.02, False, 12400)],
    },
    2025: {
        "fiscal_year": 2025,
        "rules": [
            rule("st_share_of_state_budget", "planned", 0.035, 0.03, True, 0),
            strategic("planned", 0, False, 3000, 0),
            strategic("committed", 0, False, 3000, 0),
            strategic("disbursed", 0, False, 3000, 0),
            rising(0.035, 0.019340),
        ],
    },
    2026: {
        "fiscal_year": 2026,
        "rules": [
            rule("st_share_of_state_budget", "planned", 0.025, 0.03, False, 10000),
            strategic("planned", 0.2, True, 0, 0.333333),
            strategic("committed", 0.133333, False, 500, 0.266667),
            strategic("disbursed", 0.033333, False, 3500, 0.033333),
            rising(0.025, 0.035),
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
            *[
                strategic(
                    b,
                    None,
                    None,
                    None,
                    None,
                    False,
                    reason="Not evaluable: the state S&T budget of 2027 is zero.",
                )
                for b in ("planned", "committed", "disbursed")
            ],
            rising(None, 0.025, reason="Not evaluable: the total state budget of 2027 is zero."),
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
