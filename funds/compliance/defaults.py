"""The compliance rules as rdfund ships them (migration 0015_law writes the same rows; a
revision imports no application code, so it carries its own copy). The rule tests evaluate
them: each names its legal instrument and the fiscal years it is in force."""

R57 = "Resolution 57-NQ/TW (22/12/2024) §III.3"

DEFAULT_RULES: list[dict] = [
    dict(
        id="st_share_of_state_budget_2013",
        kind="floor",
        metric="st_share",
        threshold="0.02",
        strict=False,
        effective_from=None,
        effective_to=2024,
        instrument_code="law-29-2013-qh13",
        article="Art. 49(1)",
        source="Law on Science and Technology 29/2013/QH13 Art. 49(1): the state budget for "
        "science and technology is at least 2% of total state budget expenditure",
        description="State S&T appropriation ÷ total state budget expenditure",
    ),
    dict(
        id="st_share_of_state_budget",
        kind="floor",
        metric="stidx_share",
        threshold="0.03",
        strict=False,
        effective_from=2025,
        effective_to=None,
        instrument_code="res-57-nq-tw",
        article="§III.3",
        source=f"{R57}: at least 3% of total annual state budget expenditure to science, "
        "technology, innovation and digital transformation",
        description="S&T/I/DX appropriation ÷ total state budget expenditure",
    ),
    dict(
        id="strategic_share_of_st_budget",
        kind="floor",
        metric="strategic_share",
        threshold="0.15",
        strict=False,
        effective_from=2025,
        effective_to=None,
        instrument_code="res-57-nq-tw",
        article="§III.3",
        source=f"{R57}; Resolution 03/NQ-CP (2025): at least 15% of the state budget for "
        "science to strategic-technology research",
        description="State-source strategic-technology amounts ÷ the state S&T budget "
        "(base: a setting)",
    ),
    dict(
        id="st_share_rising",
        kind="indicator",
        metric="st_share_rising",
        threshold=None,
        strict=False,
        effective_from=None,
        effective_to=None,
        instrument_code="res-57-nq-tw",
        article="§III.3",
        source="Law 29/2013/QH13 Art. 49(1) and Resolution 57-NQ/TW §III.3: the share rises "
        "year by year (an indicator, not a floor)",
        description="The year's share ÷ total expenditure against the previous year's share "
        "of the same measure (S&T alone up to 2024, S&T/I/DX from 2025)",
    ),
]
