"""Accent-insensitive search (funds.text): the fold, the terms and the matching."""

import pytest

from funds.text import fold_text, matches, search, search_terms


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Nguyễn Văn", "nguyen van"),
        ("điện", "dien"),
        ("ĐẠI HỌC Bách Khoa", "dai hoc bach khoa"),
        ("Nguye\u0302\u0303n", "nguyen"),  # decomposed input folds the same
        ("", ""),
        (None, ""),
    ],
)
def test_fold_text_drops_case_and_vietnamese_diacritics(text, folded):
    assert fold_text(text) == folded


@pytest.mark.parametrize(
    "query, texts, found",
    [
        ("nguyen van", ("Nguyễn Văn An",), True),
        ("dien", ("Hệ thống điện mặt trời",), True),
        ("vi mach", ("Thiết kế vi mạch",), True),
        ("Nguyễn", ("nguyen van an",), True),
        ("van nguyen", ("Nguyễn Văn An",), True),  # every word, in any order
        ("nguyen thi", ("Nguyễn Văn An",), False),
        ("bach khoa", ("Chip bán dẫn", "Trường Đại học Bách Khoa"), True),
        ("", ("anything",), True),
    ],
)
def test_every_folded_word_of_the_query_must_occur(query, texts, found):
    assert matches(search_terms(query), *texts) is found


def test_search_keeps_every_row_without_a_query_and_caps_the_matches():
    rows = [f"Điện {i}" for i in range(10)]
    assert search(rows, "", lambda r: (r,), limit=3) == rows
    assert search(rows, "dien", lambda r: (r,), limit=3) == rows[:3]
    assert search(rows, "dien", lambda r: (r,), limit=None) == rows


def test_an_overlong_query_is_cut_not_refused():
    assert len(search_terms("a" * 10_000)[0]) == 200
