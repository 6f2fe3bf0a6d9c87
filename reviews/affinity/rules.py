"""Reviewer–proposal affinity from text: TF-IDF cosine over Vietnamese and English, top-N per
proposal.

Texts are NFC-normalised and lowercased (reviews.textnorm). Two ways to cut Vietnamese words:
- "ngram" (default, fast): syllables plus adjacent-syllable bigrams, so a two-syllable word
  such as "bán dẫn" is one feature without a segmentation model;
- "pyvi": pyvi's ViTokenizer (bundled CRF model, offline) joins words ("bán_dẫn"); it costs
  about 5 µs a word here (0.2 ms for a 34-word phrase), so 15,000 documents of 400 words
  add about half a minute. Unigrams of pyvi words only; folding applies after segmenting.
Each feature is also counted in a diacritic-folded channel ("ban dan"), weighted
FOLD_WEIGHT, so profiles typed without diacritics still match, below exact spellings:
score = (1 - FOLD_WEIGHT) · cos(exact) + FOLD_WEIGHT · cos(folded), in [0, 1], plus
`area_bonus` when the proposal's strategic area is one of the reviewer's areas.
Similarities are sparse products in blocks of proposals, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
from scipy import sparse

from reviews.affinity.textnorm import fold, ngrams, normalize, segments

FOLD_WEIGHT = 0.3
KEYWORD_REPEAT = 2  # keywords count twice: they are what the author says the text is about
BLOCK = 500  # proposals per similarity block: BLOCK × reviewers floats in memory at once
COMMON_SHARE = 0.5  # terms in more than this share of documents carry no topic…
COMMON_MIN_DOCS = 200  # …judged only on collections at least this large


@dataclass(frozen=True)
class ProposalText:
    """What a proposal says about its topic."""

    id: Hashable
    title_vi: str = ""
    title_en: str = ""
    abstract: str = ""
    keywords: Sequence[str] = ()
    area: str | None = None


@dataclass(frozen=True)
class ReviewerText:
    """What a reviewer's profile says about their expertise."""

    id: Hashable
    keywords: Sequence[str] = ()
    publications: Sequence[str] = ()
    areas: Sequence[str] = ()


def proposal_document(proposal: ProposalText) -> list[str]:
    """The proposal's phrases: titles, keywords (repeated) and abstract."""
    return [
        proposal.title_vi,
        proposal.title_en,
        *list(proposal.keywords) * KEYWORD_REPEAT,
        proposal.abstract,
    ]


def reviewer_document(reviewer: ReviewerText) -> list[str]:
    """The reviewer's phrases: expertise keywords (repeated) and publication titles."""
    return [*list(reviewer.keywords) * KEYWORD_REPEAT, *reviewer.publications]


def _pyvi_words(text: str) -> list[list[str]]:
    """Words per phrase as pyvi segments them ('bán_dẫn' is one word)."""
    from pyvi import ViTokenizer

    return [ViTokenizer.tokenize(" ".join(words)).split() for words in segments(text)]


def features(parts: list[str], segmenter: str) -> list[str]:
    """Exact-spelling features of a document's phrases."""
    grams: list[str] = []
    for part in parts:
        if segmenter == "pyvi":
            grams += [g for words in _pyvi_words(part) for g in ngrams(words, bigrams=False)]
        else:
            grams += [g for words in segments(part) for g in ngrams(words)]
    return grams


def term_counts(documents: list[list[str]]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Each document's count of each term (a sparse documents × terms matrix), and the terms.
    The features of all documents are hashed in one pass (pandas' factorize, in C) rather
    than counted term by term in Python."""
    lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
    flat = np.fromiter(chain.from_iterable(documents), dtype=object, count=int(lengths.sum()))
    codes, terms = pd.factorize(flat)
    rows = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)
    counts = sparse.csr_matrix(  # duplicates (a term used twice) are summed
        (np.ones(len(codes), dtype=np.float64), (rows, codes)),
        shape=(len(documents), len(terms)),
    )
    return counts, np.asarray(terms, dtype=object)


def folded_counts(counts: sparse.csr_matrix, terms: np.ndarray) -> sparse.csr_matrix:
    """The same counts with each term folded ('bán dẫn' and 'ban dan' become one column):
    the folding runs once per distinct term, then one sparse product adds the columns."""
    codes, _folded = pd.factorize(np.array([fold(t) for t in terms], dtype=object))
    merge = sparse.csr_matrix(
        (np.ones(len(terms)), (np.arange(len(terms)), codes)), shape=(len(terms), len(_folded))
    )
    return (counts @ merge).tocsr()


def tfidf(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows, exactly scikit-learn's TfidfVectorizer(sublinear_tf=True,
    smooth_idf=True, max_df=…): tf = 1 + log(count), idf = 1 + log((1 + n) / (1 + df)); terms
    in more than COMMON_SHARE of the documents dropped in collections of COMMON_MIN_DOCS or
    more; all-zero rows when no term survives."""
    n_docs = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    common = COMMON_SHARE if n_docs >= COMMON_MIN_DOCS else 1.0
    keep = df <= common * n_docs
    if not keep.any():
        return sparse.csr_matrix((n_docs, 1), dtype=np.float32)
    x = counts[:, np.flatnonzero(keep)].tocsr() if not keep.all() else counts.copy()
    idf = np.log((1 + n_docs) / (1 + df[keep])) + 1
    x.data = (np.log(x.data) + 1) * idf[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    x.data /= np.repeat(norms, np.diff(x.indptr))  # an empty row has no entry to divide
    return x.astype(np.float32)


def vectors(documents: list[list[str]]) -> sparse.csr_matrix:
    """Rows with exact and folded channels side by side, weighted so dot = blended cosine."""
    counts, terms = term_counts(documents)
    if not len(terms):  # empty vocabulary: nothing to compare
        zero = sparse.csr_matrix((len(documents), 1), dtype=np.float32)
        return sparse.hstack([zero, zero], format="csr", dtype=np.float32)
    exact_x, folded_x = tfidf(counts), tfidf(folded_counts(counts, terms))
    return sparse.hstack(
        [exact_x * np.sqrt(1 - FOLD_WEIGHT), folded_x * np.sqrt(FOLD_WEIGHT)],
        format="csr",
        dtype=np.float32,
    )


def area_matrix(
    proposals: Sequence[ProposalText], reviewers: Sequence[ReviewerText]
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """One-hot areas of proposals and reviewers; their product marks matching pairs."""
    codes: dict[str, int] = {}
    p_rows = [
        (i, codes.setdefault(normalize(p.area).strip(), len(codes)))
        for i, p in enumerate(proposals)
        if p.area
    ]
    r_rows = [
        (j, codes.setdefault(normalize(a).strip(), len(codes)))
        for j, r in enumerate(reviewers)
        for a in set(r.areas)
        if a
    ]
    return (
        _one_hot(p_rows, len(proposals), len(codes)),
        _one_hot(r_rows, len(reviewers), len(codes)),
    )


def _one_hot(rows: list[tuple[int, int]], n: int, width: int) -> sparse.csr_matrix:
    """An n × width 0/1 matrix with ones at the (row, column) pairs given."""
    i = np.array([row for row, _ in rows], dtype=np.int64)
    k = np.array([col for _, col in rows], dtype=np.int64)
    return sparse.csr_matrix((np.ones(len(i), np.float32), (i, k)), shape=(n, width))


def top_pairs(scores: np.ndarray, top_n: int, min_score: float) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of each row's `top_n` best scores above `min_score`, best first."""
    n = min(top_n, scores.shape[1])
    if n <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    best = np.argpartition(-scores, n - 1, axis=1)[:, :n]
    order = np.argsort(-np.take_along_axis(scores, best, 1), axis=1, kind="stable")
    cols = np.take_along_axis(best, order, 1).ravel()
    rows = np.repeat(np.arange(scores.shape[0]), n)
    keep = scores[rows, cols] > min_score
    return rows[keep], cols[keep]


def compute_affinities(
    proposals: Sequence[ProposalText],
    reviewers: Sequence[ReviewerText],
    *,
    top_n: int = 300,
    area_bonus: float = 0.1,
    min_score: float = 0.0,
    segmenter: str = "ngram",
) -> pd.DataFrame:
    """Each proposal's `top_n` reviewers by affinity: columns proposal_id, reviewer_id, score.

    Scores lie in [0, 1 + area_bonus]; pairs scoring at most `min_score` are left out.
    """
    if segmenter not in ("ngram", "pyvi"):
        raise ValueError("segmenter must be 'ngram' or 'pyvi'")
    docs = [features(proposal_document(p), segmenter) for p in proposals] + [
        features(reviewer_document(r), segmenter) for r in reviewers
    ]
    if not proposals or not reviewers:
        return pd.DataFrame({"proposal_id": [], "reviewer_id": [], "score": []})
    x = vectors(docs)
    x_p, x_r = x[: len(proposals)], x[len(proposals) :].T.tocsc()
    a_p, a_r = area_matrix(proposals, reviewers)
    rows, cols, values = [], [], []
    for start in range(0, len(proposals), BLOCK):
        block = (x_p[start : start + BLOCK] @ x_r).toarray()
        np.clip(block, 0.0, 1.0, out=block)  # float rounding can leave 1.0000001
        block += area_bonus * ((a_p[start : start + BLOCK] @ a_r.T).toarray() > 0)
        found_rows, found_cols = top_pairs(block, top_n, min_score)
        rows.append(found_rows + start)
        cols.append(found_cols)
        values.append(block[found_rows, found_cols])
    p_ids = np.array([p.id for p in proposals], dtype=object)
    r_ids = np.array([r.id for r in reviewers], dtype=object)
    return pd.DataFrame(
        {
            "proposal_id": p_ids[np.concatenate(rows)],
            "reviewer_id": r_ids[np.concatenate(cols)],
            "score": np.concatenate(values).astype(np.float64),
        }
    )
