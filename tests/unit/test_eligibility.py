"""Pure rules of submission: budget totals and caps, the checklist, uploads, ORCID."""

from datetime import UTC, datetime, timedelta

import pytest

from funds.calls.rules import CallRules
from funds.profiles.services import orcid_is_valid
from funds.proposals.attachments import check_upload, clean_filename, looks_like_pdf
from funds.proposals.eligibility import (
    ProposalFacts,
    budget_totals,
    eligibility,
    failing,
    indirect_within_cap,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\nxref\n0 1\ntrailer<<>>\nstartxref\n9\n%%EOF\n"


def rules(**kw) -> CallRules:
    base = dict(
        opens_at=NOW - timedelta(days=1),
        closes_at=NOW + timedelta(days=1),
        ceiling_vnd=1_000_000_000,
        open_to_all_areas=True,
        eligible_areas=frozenset(),
        indirect_cap_pct=10,
        max_duration_months=36,
        required_attachments=frozenset({"description"}),
        max_proposals_per_pi=1,
    )
    return CallRules(**(base | kw))


def facts(**kw) -> ProposalFacts:
    base = dict(
        title="Vi mạch",
        title_en="Chips",
        abstract="Tóm tắt",
        keywords="chip",
        area_code="SEMICONDUCTOR",
        trl_now=3,
        trl_target=6,
        duration_months=24,
        budget_lines=(("personnel", 2027, 500_000_000), ("indirect", 2027, 50_000_000)),
        work_packages=1,
        attachment_kinds=frozenset({"description"}),
    )
    return ProposalFacts(**(base | kw))


def test_a_complete_proposal_passes_every_check():
    assert failing(eligibility(facts(), rules(), NOW)) == []


@pytest.mark.parametrize(
    "change, rule_change, failing_key",
    [
        ({}, {"closes_at": NOW}, "open"),
        (
            {"area_code": "AI"},
            {"open_to_all_areas": False, "eligible_areas": frozenset({"SEMICONDUCTOR"})},
            "area",
        ),
        ({"title_en": " "}, {}, "title"),
        ({"abstract": "x" * 101}, {"abstract_max_chars": 100}, "abstract"),
        ({"keywords": ""}, {}, "keywords"),
        ({"trl_now": 7, "trl_target": 5}, {}, "trl"),
        ({"trl_now": None}, {}, "trl"),
        ({"work_packages": 0}, {}, "work_plan"),
        ({"duration_months": 37}, {}, "duration"),
        ({"duration_months": None}, {}, "duration"),
        ({"budget_lines": (("personnel", 2027, 1_000_000_001),)}, {}, "budget"),
        ({"budget_lines": ()}, {}, "budget"),
        ({"budget_lines": (("personnel", 2027, 100), ("indirect", 2027, 11))}, {}, "indirect"),
        ({"attachment_kinds": frozenset()}, {}, "attachments"),
        ({"other_active_by_pi": 1}, {}, "per_pi"),
    ],
)
def test_each_failing_check_names_its_section(change, rule_change, failing_key):
    bad = failing(eligibility(facts(**change), rules(**rule_change), NOW))
    assert [i.key for i in bad] == [failing_key]
    assert bad[0].anchor
    assert bad[0].message


def test_budget_totals_are_exact_integers_by_year_and_category():
    t = budget_totals([("personnel", 2027, 10**15), ("indirect", 2027, 1), ("travel", 2028, 3)])
    assert (t.direct_vnd, t.indirect_vnd, t.total_vnd) == (10**15 + 3, 1, 10**15 + 4)
    assert t.by_year == {2027: 10**15 + 1, 2028: 3}


@pytest.mark.parametrize(
    "direct, indirect, cap, ok",
    [
        (100, 10, 10, True),
        (100, 11, 10, False),
        (0, 0, 0, True),
        (0, 1, 100, False),
        (3, 1, 33, False),
        (3, 1, 34, True),
    ],
)
def test_indirect_costs_are_capped_as_a_share_of_direct_costs(direct, indirect, cap, ok):
    totals = budget_totals([("personnel", 2027, direct), ("indirect", 2027, indirect)])
    assert indirect_within_cap(totals, cap) is ok


@pytest.mark.parametrize(
    "data, pdf_only, expected",
    [
        (PDF, True, None),
        (b"", True, "The file is empty."),
        (b"PK\x03\x04 a zip renamed to .pdf", True, "accepts PDF files only"),
        (b"%PDF-1.4\n truncated", True, "broken or incomplete"),
        (b"%PDF-1.4\n truncated", False, "broken or incomplete"),
        (b"plain text", False, None),
        (PDF + b"x" * 2048, True, "broken or incomplete"),
        (b"%PDF-" + b"x" * (2 * 1024 * 1024), True, "larger than"),
    ],
)
def test_uploads_are_judged_by_content_and_size(data, pdf_only, expected):
    found = check_upload(data, kind="description", max_bytes=1024 * 1024, pdf_only=pdf_only)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1
        assert expected in found[0].message


def test_an_unknown_attachment_kind_is_refused():
    assert check_upload(PDF, kind="../../etc", max_bytes=10**6, pdf_only=True)[0].field == "kind"


@pytest.mark.parametrize(
    "given, shown",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\a\\đề cương.pdf", "đề cương.pdf"),
        ("", "file"),
        ("a\x00b.pdf", "ab.pdf"),
    ],
)
def test_file_names_are_kept_for_display_only(given, shown):
    assert clean_filename(given) == shown


@pytest.mark.parametrize(
    "orcid, ok",
    [
        ("0000-0002-1825-0097", True),
        ("0000-0001-5109-3700", True),
        ("0000-0002-1694-233X", True),
        ("0000-0002-1825-0098", False),
        ("0000-0002-1825-009", False),
        ("abcd-0002-1825-0097", False),
    ],
)
def test_orcid_check_digit(orcid, ok):
    assert orcid_is_valid(orcid) is ok


def test_pdf_detection_needs_header_and_trailer():
    assert looks_like_pdf(PDF)
    assert not looks_like_pdf(PDF[:-10])


def test_a_passing_check_says_what_holds_in_positive_words():
    """A met check never carries failure wording ("✓ The call is not open")."""
    items = {i.key: i for i in eligibility(facts(), rules(), NOW)}
    assert all(i.ok for i in items.values())
    assert items["open"].text == "The call is open until %(closes_at)s."
    assert items["budget"].text.startswith("The budget of %(total_vnd)s is within")
    assert items["budget"].params["total_vnd"] == 550_000_000
    assert items["attachments"].text == "The required files are attached."
    assert items["work_plan"].params["count"] == 1
    assert "not open" not in items["open"].text
    for item in items.values():
        assert not item.text.startswith(("Give", "Add", "Set"))


def test_no_limit_and_no_required_file_are_said_as_such():
    items = {
        i.key: i
        for i in eligibility(
            facts(attachment_kinds=frozenset()),
            rules(max_proposals_per_pi=0, required_attachments=frozenset()),
            NOW,
        )
    }
    assert (
        items["per_pi"].text == "This call sets no limit on proposals per principal investigator."
    )
    assert items["attachments"].text == "This call requires no attached file."


def test_a_failing_check_names_what_is_missing():
    items = {
        i.key: i
        for i in eligibility(
            facts(attachment_kinds=frozenset()),
            rules(required_attachments=frozenset({"description", "cv"})),
            NOW,
        )
    }
    assert not items["attachments"].ok
    assert items["attachments"].text == "Attach the required files: %(kinds)s."
    assert items["attachments"].params["missing"] == ("cv", "description")
