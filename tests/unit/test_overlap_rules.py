"""The overlap screening's pure rules: affinity's text similarity between proposals, the
register CSV read line by line, and the fund's limits per person."""

import pytest

from funds.limits.rules import Limits, PersonLoad, limit_checks, setting_violations
from reviews.affinity.rules import ProposalText
from reviews.overlap.register.rules import parse_register
from reviews.overlap.rules import close_pairs, similarities
from tests.overlap_texts import (
    BIOSENSOR,
    BIOSENSOR_REWORDED,
    GAS_SENSOR,
    RICE_DISEASE,
    RICE_DISEASE_REWORDED,
    SHRIMP_FARMING,
    SMART_GRID,
)


def text(pid, t) -> ProposalText:
    return ProposalText(
        id=pid,
        title_vi=t["title"],
        title_en=t["title_en"],
        abstract=t["abstract"],
        keywords=[k.strip() for k in t["keywords"].split(";")],
    )


@pytest.mark.parametrize("segmenter", ["ngram", "pyvi"])
def test_a_reworded_proposal_is_close_and_distinct_work_is_far_with_either_segmenter(segmenter):
    query = text("q", BIOSENSOR)
    others = [text("copy", BIOSENSOR_REWORDED), text("gas", GAS_SENSOR), text("grid", SMART_GRID)]
    copy, gas, grid = similarities(query, others, segmenter=segmenter)
    assert copy > 0.7
    assert gas < 0.35
    assert grid < 0.1


@pytest.mark.parametrize("segmenter", ["ngram", "pyvi"])
def test_english_abstracts_reworded_are_close_and_other_work_of_the_region_is_far(segmenter):
    query = text("q", RICE_DISEASE)
    others = [text("copy", RICE_DISEASE_REWORDED), text("shrimp", SHRIMP_FARMING)]
    copy, shrimp = similarities(query, others, segmenter=segmenter)
    assert copy > 0.55
    assert shrimp < 0.2


def test_close_pairs_keep_those_at_or_above_the_threshold_closest_first():
    query = text("q", BIOSENSOR)
    others = [text("gas", GAS_SENSOR), text("copy", BIOSENSOR_REWORDED)]
    found = close_pairs(query, others, threshold=0.5)
    assert [pid for pid, _score in found] == ["copy"]
    assert close_pairs(query, others, threshold=0.01)[0][0] == "copy"
    assert close_pairs(query, [], threshold=0.5) == []


REGISTER = (
    "mã,tên,tóm tắt,từ khóa,tổ chức chủ trì,chủ nhiệm,năm bắt đầu,năm kết thúc\n"
    'ĐTĐL.CN-01/24,Cảm biến sinh học,"Tóm tắt\nnhiều dòng",cảm biến,Viện Vật lý,Lê Văn A,'
    "2024,2026\n"
    ",Không có mã,,,,,2024,2025\n"
    "ĐTĐL.CN-02/24,Năm sai,,,,,hai nghìn,2025\n"
    "ĐTĐL.CN-03/24,Năm ngược,,,,,2026,2024\n"
    "ĐTĐL.CN-01/24,Trùng mã,,,,,,\n"
    "KC.01/21,Lưới điện thông minh,,,,,,\n"
)


def test_the_register_csv_is_read_with_vietnamese_headers_and_errors_listed_by_line():
    parsed = parse_register(("\ufeff" + REGISTER).encode("utf-8"))
    assert [r.code for r in parsed.rows] == ["ĐTĐL.CN-01/24", "KC.01/21"]
    assert parsed.rows[0].summary == "Tóm tắt\nnhiều dòng"
    assert (parsed.rows[0].start_year, parsed.rows[0].end_year) == (2024, 2026)
    assert [(e.line, e.message) for e in parsed.errors] == [
        (4, "The %(column)s is missing."),
        (5, "%(column)s is not a year: %(value)s."),
        (6, "The end year is before the start year."),
        (7, "The code %(code)s is already on line %(first)s."),
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        ("tên,mã\n".encode("utf-16"), "The file is not UTF-8 text; save it as CSV UTF-8."),
        (b"", "The file is empty."),
        (b"name;year\nx;2020\n", "The header must name at least the columns code and title."),
    ],
    ids=["utf16", "empty", "no-code-column"],
)
def test_a_register_file_that_cannot_be_read_is_one_error_and_no_row(data, message):
    parsed = parse_register(data)
    assert parsed.rows == []
    assert [e.message for e in parsed.errors] == [message]


def test_semicolons_separate_columns_when_the_header_uses_them():
    parsed = parse_register(b"code;title;start_year\nA-1;Mot;2020\n")
    assert [(r.code, r.title, r.start_year) for r in parsed.rows] == [("A-1", "Mot", 2020)]


@pytest.mark.parametrize(
    "load, limits, failing",
    [
        (PersonLoad(5, 5), Limits(), set()),  # no limit set: no check at all
        (PersonLoad(1, 0), Limits(max_led_proposals=2), set()),
        (PersonLoad(2, 0), Limits(max_led_proposals=2), {"led_proposals"}),
        (PersonLoad(0, 0), Limits(max_active_projects=1), set()),
        (PersonLoad(0, 1), Limits(max_active_projects=1), {"active_projects"}),
        (PersonLoad(3, 2), Limits(2, 1), {"led_proposals", "active_projects"}),
    ],
)
def test_limits_per_person_fail_at_the_limit(load, limits, failing):
    items = limit_checks(load, limits)
    assert {i.key for i in items if not i.ok} == failing
    assert len(items) == bool(limits.max_led_proposals) + bool(limits.max_active_projects)


def test_limit_settings_out_of_range_are_refused_at_their_field():
    good = {"max_led_proposals": 2, "max_active_projects": 1, "overlap_threshold_pct": 50}
    assert setting_violations(good) == []
    bad = setting_violations({**good, "overlap_threshold_pct": 5, "max_led_proposals": None})
    assert {v.field for v in bad} == {"overlap_threshold_pct", "max_led_proposals"}
