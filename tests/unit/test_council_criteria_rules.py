"""Pure rules of a fund's sheet criteria: the checks of a rubric's criteria, the basis
required, the built-in defaults, and the snapshot an item keeps."""

import pytest

from reviews.councils.criteria.rules import (
    ACCEPTANCE_DEFAULTS,
    DEFAULT_TEXTS,
    MAX_CRITERIA,
    MIDTERM_DEFAULTS,
    CriterionInput,
    SheetCriterion,
    criteria_problems,
    dump_snapshot,
    load_snapshot,
)

OK = CriterionInput("Chất lượng sản phẩm", "Theo hợp đồng", 3, 5, 3)


@pytest.mark.parametrize(
    "criteria, basis, fields",
    [
        ([OK], "Quy chế của Quỹ", set()),
        ([], "Quy chế của Quỹ", {"criteria"}),
        ([OK], "  ", {"basis"}),
        ([OK], "x" * 301, {"basis"}),
        ([CriterionInput("", "", 1, 5, 0)], "Điều 5", {"name_0"}),
        ([OK, CriterionInput("chất lượng SẢN PHẨM", "", 1, 5, 0)], "Điều 5", {"name_1"}),
        ([CriterionInput("A", "d" * 2001, 1, 5, 0)], "Điều 5", {"description_0"}),
        ([CriterionInput("A", "", 0, 5, 0)], "Điều 5", {"weight_0"}),
        ([CriterionInput("A", "", 1, 1, 0)], "Điều 5", {"scale_max_0"}),
        ([CriterionInput("A", "", 1, 101, 0)], "Điều 5", {"scale_max_0"}),
        ([CriterionInput("A", "", 1, 5, 6)], "Điều 5", {"threshold_0"}),
        ([CriterionInput("A", "", 1, 5, -1)], "Điều 5", {"threshold_0"}),
        (
            [CriterionInput(f"C{n}", "", 1, 5, 0) for n in range(MAX_CRITERIA + 1)],
            "Điều 5",
            {"criteria"},
        ),
    ],
)
def test_criteria_have_a_rubrics_checks_and_a_basis(criteria, basis, fields):
    assert {v.field for v in criteria_problems(criteria, basis)} == fields


def test_the_defaults_follow_circular_11_2014_and_are_translatable():
    assert [(c.id, c.weight, c.scale_max, c.threshold) for c in ACCEPTANCE_DEFAULTS] == [
        (1, 3, 5, 3),
        (2, 3, 5, 3),
        (3, 2, 5, 2),
        (4, 2, 5, 0),
    ]
    assert [c.id for c in MIDTERM_DEFAULTS] == [1, 2, 3]
    assert all(c.name in DEFAULT_TEXTS and c.description in DEFAULT_TEXTS for c in MIDTERM_DEFAULTS)
    for c in ACCEPTANCE_DEFAULTS:  # the defaults pass their own checks
        typed = CriterionInput(c.name, c.description, c.weight, c.scale_max, c.threshold)
        assert criteria_problems([typed], "Thông tư 11/2014/TT-BKHCN") == []


def test_an_item_keeps_its_criteria_as_they_were_with_their_ids():
    kept = [SheetCriterion(17, "Sản phẩm “đạt chuẩn”", "Mô tả", 2, 10, 6), *MIDTERM_DEFAULTS]
    assert load_snapshot(dump_snapshot(kept)) == kept
    assert load_snapshot("") is None
    assert kept[0].rule.id == 17
