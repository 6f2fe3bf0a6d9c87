"""Messages built from domain parameters read in the reader's language (issue #16, item 6)."""

import pytest
from flask_babel import gettext

from portal.edge import params_for_display
from reviews.rubric.rules import CriterionRule, criterion_violations


@pytest.mark.parametrize(
    "lang, shown", [("vi", "Hãy chấm điểm Giá trị khoa học trước khi nộp."), ("en", None)]
)
def test_a_missing_score_names_the_shipped_criterion_in_the_readers_language(app, lang, shown):
    criterion = CriterionRule(id=1, name="Scientific merit", weight=1, scale_max=5, threshold=0)
    (violation,) = criterion_violations([criterion], {}, {1: "ok"}, final=True)
    with app.test_request_context(headers={"Accept-Language": lang}):
        text = gettext(violation.message, **params_for_display(violation.params))
    assert text == (shown or "Score Scientific merit before submitting.")


def test_a_criterion_a_manager_typed_is_shown_as_typed(app):
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        assert params_for_display({"criterion": "Tính khả thi"}) == {"criterion": "Tính khả thi"}
