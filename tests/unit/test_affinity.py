"""Text affinity: Vietnamese and English topics rank the right reviewers first."""

import unicodedata

import pytest

from reviews.affinity.rules import ProposalText, ReviewerText, compute_affinities
from reviews.affinity.textnorm import fold, normalize

CHIP = ProposalText(
    "chip",
    title_vi="Nghiên cứu thiết kế chip bán dẫn công suất thấp",
    title_en="Low-power semiconductor chip design",
    abstract="Đề tài phát triển vi mạch bán dẫn cho thiết bị IoT.",
    keywords=["bán dẫn", "vi mạch"],
    area="Công nghệ bán dẫn",
)
SEMICONDUCTOR = ReviewerText(
    "semiconductor",
    keywords=["bán dẫn", "thiết kế vi mạch"],
    publications=["Thiết kế chip bán dẫn tiết kiệm năng lượng"],
)
AGRICULTURE = ReviewerText(
    "agriculture",
    keywords=["nông nghiệp", "giống lúa"],
    publications=["Nghiên cứu giống lúa chịu mặn ở Đồng bằng sông Cửu Long"],
)
BIOLOGY = ReviewerText(
    "biology", keywords=["sinh học phân tử"], publications=["Nghiên cứu gen kháng bệnh ở cá tra"]
)


def scores(proposals, reviewers, **options) -> dict:
    """{(proposal_id, reviewer_id): score} of compute_affinities."""
    frame = compute_affinities(proposals, reviewers, **options)
    return {(p, r): s for p, r, s in frame.itertuples(index=False)}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize("segmenter", ["ngram", "pyvi"])
def test_vietnamese_chip_proposal_ranks_the_semiconductor_reviewer_above_agriculture(segmenter):
    found = scores([CHIP], [AGRICULTURE, SEMICONDUCTOR, BIOLOGY], segmenter=segmenter)
    assert found[("chip", "semiconductor")] > 3 * found.get(("chip", "agriculture"), 0.0)


@pytest.mark.parametrize("segmenter", ["ngram", "pyvi"])
def test_nfc_and_nfd_spellings_score_the_same(segmenter):
    decomposed = ReviewerText(
        "nfd",
        keywords=[nfd(k) for k in SEMICONDUCTOR.keywords],
        publications=[nfd(p) for p in SEMICONDUCTOR.publications],
    )
    found = scores([CHIP], [SEMICONDUCTOR, decomposed, AGRICULTURE], segmenter=segmenter)
    assert found[("chip", "nfd")] == pytest.approx(found[("chip", "semiconductor")])


def test_text_without_diacritics_matches_at_a_lower_weight():
    plain = ReviewerText(
        "plain",
        keywords=["ban dan", "thiet ke vi mach"],
        publications=["Thiet ke chip ban dan tiet kiem nang luong"],
    )
    found = scores([CHIP], [SEMICONDUCTOR, plain, AGRICULTURE, BIOLOGY])
    assert found[("chip", "semiconductor")] > found[("chip", "plain")]
    assert found[("chip", "plain")] > 2 * found.get(("chip", "agriculture"), 0.0)


@pytest.mark.parametrize(
    "text, normalized, folded",
    [
        ("Bán Dẫn", "bán dẫn", "ban dan"),
        (nfd("Đồng bằng"), "đồng bằng", "dong bang"),
        ("CHIP", "chip", "chip"),
    ],
)
def test_normalisation_and_folding(text, normalized, folded):
    assert normalize(text) == normalized
    assert fold(normalize(text)) == folded


def test_english_profiles_match_english_proposals():
    proposal = ProposalText(
        "solar",
        title_en="Perovskite solar cells for rooftop energy",
        abstract="We improve perovskite stability and solar cell efficiency.",
    )
    solar = ReviewerText(
        "solar",
        keywords=["perovskite", "photovoltaics"],
        publications=["Stability of perovskite solar cells"],
    )
    rice = ReviewerText(
        "rice", keywords=["rice breeding"], publications=["Salt tolerance in rice varieties"]
    )
    found = scores([proposal], [rice, solar])
    assert found[("solar", "solar")] > 0.2
    assert found.get(("solar", "rice"), 0.0) == 0.0


@pytest.mark.parametrize(
    "areas, bonus, expected_gain",
    [
        (["Công nghệ bán dẫn"], 0.1, 0.1),
        (["  CÔNG NGHỆ BÁN DẪN "], 0.25, 0.25),
        (["Nông nghiệp"], 0.1, 0.0),
        ([], 0.1, 0.0),
    ],
)
def test_matching_strategic_area_adds_the_bonus(areas, bonus, expected_gain):
    in_area = ReviewerText(
        "r", keywords=SEMICONDUCTOR.keywords, publications=SEMICONDUCTOR.publications, areas=areas
    )
    base = scores([CHIP], [in_area, AGRICULTURE], area_bonus=0.0)[("chip", "r")]
    with_bonus = scores([CHIP], [in_area, AGRICULTURE], area_bonus=bonus)[("chip", "r")]
    assert with_bonus - base == pytest.approx(expected_gain, abs=1e-6)


@pytest.mark.parametrize("top_n, chip_count, rice_count", [(1, 1, 1), (2, 2, 1), (10, 3, 1)])
def test_at_most_top_n_reviewers_per_proposal_best_first_without_zero_scores(
    top_n, chip_count, rice_count
):
    rice = ProposalText("rice", title_vi="Chọn tạo giống lúa chịu mặn", keywords=["giống lúa"])
    frame = compute_affinities([CHIP, rice], [AGRICULTURE, SEMICONDUCTOR, BIOLOGY], top_n=top_n)
    assert frame.groupby("proposal_id").size().to_dict() == {"chip": chip_count, "rice": rice_count}
    assert frame[frame.proposal_id == "chip"].reviewer_id.iloc[0] == "semiconductor"
    assert frame[frame.proposal_id == "rice"].reviewer_id.iloc[0] == "agriculture"
    for _, group in frame.groupby("proposal_id"):
        assert group.score.is_monotonic_decreasing


def test_scores_stay_within_zero_and_one_plus_bonus():
    same = ReviewerText(
        "same", keywords=CHIP.keywords, publications=[CHIP.title_vi], areas=[CHIP.area]
    )
    frame = compute_affinities([CHIP], [same, SEMICONDUCTOR, AGRICULTURE], area_bonus=0.1)
    assert frame.score.between(0.0, 1.1 + 1e-6).all()
    assert frame.score.max() > 0.5


@pytest.mark.parametrize("n_docs", [3, 250])
def test_tfidf_is_scikit_learns_tfidf_vectorizer(n_docs):
    """The hand-rolled TF-IDF (counts hashed in one pass) gives scikit-learn's numbers, with
    the common-term cut-off of large collections."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from reviews.affinity.rules import COMMON_MIN_DOCS, COMMON_SHARE, term_counts, tfidf

    rng = np.random.default_rng(5)
    words = ["bán dẫn", "vi mạch", "lúa", "gạo", "chip", "rice", "ban dan", "đổi mới"]
    docs = [list(rng.choice(words, rng.integers(0, 9))) for _ in range(n_docs)]
    docs[0] = []  # an empty document stays a zero row
    docs[1] = ["chip"] * n_docs  # in (nearly) every document: dropped in large collections
    counts, terms = term_counts(docs)
    ours = tfidf(counts).toarray()
    common = COMMON_SHARE if n_docs >= COMMON_MIN_DOCS else 1.0
    vectorizer = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, max_df=common)
    theirs = vectorizer.fit_transform(docs).toarray()
    kept = [t for t in terms if t in vectorizer.vocabulary_]
    columns = [vectorizer.vocabulary_[t] for t in kept]
    ours_kept = ours[:, : len(kept)] if len(kept) == ours.shape[1] else ours
    assert ours_kept.shape == theirs.shape
    np.testing.assert_allclose(ours_kept, theirs[:, columns], rtol=1e-5, atol=1e-6)
    assert not ours[0].any()
