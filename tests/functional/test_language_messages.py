"""Messages built from domain parameters read in the reader's language (issue #16, item 6)."""

import pytest
from flask_babel import gettext

from funds.projects.regimes import services as regime_svc
from funds.projects.regimes.rules import Cause, Evaluation, Rating, consequences
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


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "vi",
            "Thông tư 27/2015/TTLT-BKHCN-BTC (nhiệm vụ không hoàn thành: hoàn trả theo nguyên "
            "nhân); Thông tư 93/2006/TTLT-BTC-BKHCN: không hoàn thành do nguyên nhân chủ quan; "
            "hoàn trả số dư chưa sử dụng và 30% kinh phí đã sử dụng, trong đó tổ chức chủ trì "
            "hoàn trả 50%",
        ),
        ("en", None),  # the record as written
    ],
)
def test_a_closeout_basis_reads_in_the_readers_language(app, lang, expected):
    from portal import db
    from portal.projects.labels import basis_in_words

    with app.test_request_context(headers={"Accept-Language": lang}):
        regime = regime_svc.regime_span(db.session(), "legacy")
        result = consequences(
            Evaluation(rating=Rating.FAIL, cause=Cause.SUBJECTIVE),
            regime=regime,
            funding_mode="itemised",
            disbursed_vnd=1_000,
            used_vnd=800,
        )
        shown = basis_in_words(
            result.basis, "legacy", reason=result.reason, params=result.reason_params
        )
    assert shown == (expected or result.basis)
