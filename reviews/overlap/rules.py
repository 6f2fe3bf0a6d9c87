"""Pure rules of the overlap screening: which texts are close, and the decisions on a pair.

The similarity is reviewer affinity's own (reviews.affinity.rules): the same features
(Vietnamese syllables and bigrams, or pyvi words), the same TF-IDF with a diacritic-folded
channel, the same cosine; here one proposal's document is compared with every candidate's.
The segmenter is affinity's default, "ngram": pyvi would cost about 5 µs a word on every
candidate at every submission (half a minute against 15,000 proposals), for scores within a
few hundredths of it on our samples (tests/unit/test_overlap_rules.py runs both).
"""

from collections.abc import Hashable, Sequence

import numpy as np

from funds.errors import N_
from reviews.affinity.rules import ProposalText, features, proposal_document, vectors
from reviews.overlap.models import OverlapDecision

SEGMENTER = "ngram"
NOTE_MAX_CHARS = 2000

DECISION_LABELS = {
    OverlapDecision.DISTINCT: N_("Distinct work"),
    OverlapDecision.OVERLAPPING: N_("Overlapping work"),
    OverlapDecision.DUPLICATE: N_("Duplicate work"),
}


def similarities(
    query: ProposalText, others: Sequence[ProposalText], *, segmenter: str = SEGMENTER
) -> list[float]:
    """The cosine similarity in [0, 1] of `query` with each of `others`, in their order."""
    if not others:
        return []
    docs = [features(proposal_document(p), segmenter) for p in (query, *others)]
    x = vectors(docs)
    scores = (x[1:] @ x[0].T).toarray().ravel()
    return [float(v) for v in np.clip(scores, 0.0, 1.0)]


def close_pairs(
    query: ProposalText,
    others: Sequence[ProposalText],
    *,
    threshold: float,
    segmenter: str = SEGMENTER,
) -> list[tuple[Hashable, float]]:
    """The others at least `threshold` similar to `query`: (id, score), most similar first."""
    scores = similarities(query, others, segmenter=segmenter)
    scored = zip((o.id for o in others), scores, strict=True)
    return sorted(
        ((oid, score) for oid, score in scored if score >= threshold),
        key=lambda pair: -pair[1],
    )


def keywords_of(text: str) -> list[str]:
    """Keywords as proposals keep them: ';'-separated (',' accepted from imports)."""
    return [k.strip() for k in text.replace(",", ";").split(";") if k.strip()]
