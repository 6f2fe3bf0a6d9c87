"""The compliance rules rdfund shipped in November 2026 (migration 0005_budget carries its own
copy, as revisions import no application code); the rule tests evaluate them. Issue #13 turns
them into dated legal data."""

R57 = "Resolution 57-NQ/TW (22/12/2024) §III.3"

DEFAULT_RULES: list[dict] = [
    dict(
        id="st_share_of_state_budget",
        kind="floor",
        metric="stidx_share",
        threshold="0.03",
        strict=False,
        source=f"{R57}: at least 3% of total annual state budget expenditure "
        "to science, technology, innovation and digital transformation",
        description="S&T/I/DX appropriation ÷ total state budget expenditure (planned)",
    ),
    dict(
        id="st_share_rising",
        kind="floor",
        metric="stidx_share_rising",
        threshold=None,
        strict=False,
        source=f"{R57}: the 3% share increases year by year",
        description="That share in year Y ≥ its value in year Y−1 (planned)",
    ),
    dict(
        id="strategic_share_of_st_budget",
        kind="floor",
        metric="strategic_share",
        threshold="0.15",
        strict=False,
        source=f"{R57}; Resolution 03/NQ-CP (2025): at least 15% of the state S&T budget "
        "to strategic-technology research",
        description="State-source strategic-technology amounts ÷ state S&T budget",
    ),
    dict(
        id="private_share_of_rd",
        kind="indicator",
        metric="private_share",
        threshold="0.6",
        strict=True,
        source="Resolution 57-NQ/TW (22/12/2024) §II.2, targets to 2030: R&D "
        "spending 2% of GDP, more than 60% of it from non-state sources",
        description="Non-state ÷ total R&D spending in the ledger",
    ),
]
