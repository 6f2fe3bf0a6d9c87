"""Candidate pairs for reviewer assignment: ids factorised to dense indices, scores as floats."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from reviews.assignment.errors import InvalidAssignmentInput

Pairs = Iterable[tuple[Hashable, Hashable]]
Loads = int | Mapping[Hashable, int] | Sequence[int] | np.ndarray


def sample(values: Iterable[object], limit: int = 5) -> str:
    """A short, readable list of values for messages: 'a, b, c and 7 more'."""
    items = [str(v) for v in values]
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _objects(values: list[Hashable]) -> np.ndarray:
    """A 1-d object array of ids (never reshaped by numpy)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _codes(
    values: np.ndarray, universe: Sequence[Hashable] | None, what: str
) -> tuple[np.ndarray, np.ndarray]:
    """Dense codes for `values`, in order of `universe` when given (unknown ids refused)."""
    if universe is None:
        codes, uniques = pd.factorize(values)
        return codes.astype(np.int64), np.asarray(uniques, dtype=object)
    index = pd.Index(list(universe), dtype=object)
    if not index.is_unique:
        raise InvalidAssignmentInput(f"the list of {what}s repeats an id")
    codes = index.get_indexer(values).astype(np.int64)
    if (codes < 0).any():
        unknown = pd.unique(np.asarray(values, dtype=object)[codes < 0])
        raise InvalidAssignmentInput(f"unknown {what} id(s): {sample(unknown)}")
    return codes, index.to_numpy(dtype=object)


@dataclass(frozen=True, eq=False)
class ScoreTable:
    """Candidate (proposal, reviewer) pairs with affinity scores; a missing pair is never
    assigned."""

    proposal_idx: np.ndarray
    reviewer_idx: np.ndarray
    score: np.ndarray
    proposal_ids: np.ndarray
    reviewer_ids: np.ndarray

    @classmethod
    def from_pairs(
        cls,
        proposal_ids: Sequence[Hashable] | np.ndarray,
        reviewer_ids: Sequence[Hashable] | np.ndarray,
        scores: Sequence[float] | np.ndarray,
        *,
        proposals: Sequence[Hashable] | None = None,
        reviewers: Sequence[Hashable] | None = None,
    ) -> ScoreTable:
        """Build from parallel id/score columns; `proposals`/`reviewers` fix the universe."""
        p_codes, p_labels = _codes(np.asarray(proposal_ids, dtype=object), proposals, "proposal")
        r_codes, r_labels = _codes(np.asarray(reviewer_ids, dtype=object), reviewers, "reviewer")
        table = cls(p_codes, r_codes, np.asarray(scores, dtype=np.float64), p_labels, r_labels)
        table.validate()
        return table

    @classmethod
    def from_codes(
        cls,
        proposal_idx: np.ndarray,
        reviewer_idx: np.ndarray,
        scores: np.ndarray,
        proposal_ids: np.ndarray,
        reviewer_ids: np.ndarray,
    ) -> ScoreTable:
        """Build from ids already factorised (indices into the id arrays), as the CSV reader
        does: no second pass over millions of id strings."""
        table = cls(proposal_idx, reviewer_idx, scores, proposal_ids, reviewer_ids)
        table.validate()
        return table

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, **universe: Sequence[Hashable] | None) -> ScoreTable:
        """Build from a frame with columns proposal_id, reviewer_id, score."""
        return cls.from_pairs(
            frame["proposal_id"].to_numpy(dtype=object),
            frame["reviewer_id"].to_numpy(dtype=object),
            frame["score"].to_numpy(dtype=np.float64),
            **universe,
        )

    @property
    def n_proposals(self) -> int:
        """Number of proposals, including those without any candidate."""
        return len(self.proposal_ids)

    @property
    def n_reviewers(self) -> int:
        """Number of reviewers, including those without any candidate."""
        return len(self.reviewer_ids)

    def validate(self) -> None:
        """Refuse mismatched columns, out-of-range indices, non-finite scores, repeated pairs."""
        n = len(self.score)
        if not len(self.proposal_idx) == len(self.reviewer_idx) == n:
            raise InvalidAssignmentInput("score table columns differ in length")
        for idx, size, what in (
            (self.proposal_idx, self.n_proposals, "proposal"),
            (self.reviewer_idx, self.n_reviewers, "reviewer"),
        ):
            if n and (idx.min() < 0 or idx.max() >= size):
                raise InvalidAssignmentInput(f"{what} index out of range")
        if not np.isfinite(self.score).all():
            bad = int(np.flatnonzero(~np.isfinite(self.score))[0])
            raise InvalidAssignmentInput(
                f"score of pair {self.describe(bad)} is not a finite number"
            )
        keys = self._sorted_keys
        repeated = np.flatnonzero(keys[1:] == keys[:-1])
        if len(repeated):
            raise InvalidAssignmentInput(
                f"pair {self.describe(int(self._order[repeated[0]]))} appears more than once"
            )

    def describe(self, position: int) -> str:
        """'(proposal, reviewer)' for the pair at a table position."""
        return (
            f"({self.proposal_ids[self.proposal_idx[position]]}, "
            f"{self.reviewer_ids[self.reviewer_idx[position]]})"
        )

    def keys_of(self, p_idx: np.ndarray, r_idx: np.ndarray) -> np.ndarray:
        """One int64 key per (proposal, reviewer) index pair."""
        return p_idx.astype(np.int64) * max(self.n_reviewers, 1) + r_idx.astype(np.int64)

    @cached_property
    def _order(self) -> np.ndarray:
        return np.argsort(self.keys_of(self.proposal_idx, self.reviewer_idx), kind="stable")

    @cached_property
    def _sorted_keys(self) -> np.ndarray:
        return self.keys_of(self.proposal_idx, self.reviewer_idx)[self._order]

    def locate(self, p_idx: np.ndarray, r_idx: np.ndarray) -> np.ndarray:
        """Table position of each index pair, or -1 where the pair is not a candidate."""
        keys, sorted_keys = self.keys_of(p_idx, r_idx), self._sorted_keys
        at = np.minimum(np.searchsorted(sorted_keys, keys), max(len(sorted_keys) - 1, 0))
        if not len(sorted_keys):
            return np.full(len(keys), -1, dtype=np.int64)
        return np.where(sorted_keys[at] == keys, self._order[at], -1)

    def index_pairs(
        self, pairs: Pairs, *, what: str, strict: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """Index arrays for id pairs; unknown ids are refused if `strict`, else dropped."""
        listed = list(pairs)
        if any(len(pair) != 2 for pair in listed):
            raise InvalidAssignmentInput(f"{what} pairs must be (proposal_id, reviewer_id)")
        p_ids = _objects([pair[0] for pair in listed])
        r_ids = _objects([pair[1] for pair in listed])
        p = pd.Index(self.proposal_ids, dtype=object).get_indexer(p_ids).astype(np.int64)
        r = pd.Index(self.reviewer_ids, dtype=object).get_indexer(r_ids).astype(np.int64)
        unknown = (p < 0) | (r < 0)
        if strict and unknown.any():
            pairs = zip(p_ids[unknown], r_ids[unknown], strict=True)
            raise InvalidAssignmentInput(
                f"{what} pair(s) with unknown ids: {sample(f'({a}, {b})' for a, b in pairs)}"
            )
        keys = np.unique(self.keys_of(p[~unknown], r[~unknown]))
        width = max(self.n_reviewers, 1)
        return keys // width, keys % width

    def loads(self, value: Loads, what: str) -> np.ndarray:
        """A per-reviewer int64 load vector from an int, a {reviewer_id: load} map or a vector."""
        if isinstance(value, (int, np.integer)):
            loads = np.full(self.n_reviewers, int(value), dtype=np.int64)
        elif isinstance(value, Mapping):
            missing = [r for r in self.reviewer_ids if r not in value]
            if missing:
                raise InvalidAssignmentInput(f"{what} missing for reviewer(s) {sample(missing)}")
            loads = np.array([value[r] for r in self.reviewer_ids], dtype=np.int64)
        else:
            loads = np.asarray(value, dtype=np.int64)
            if loads.shape != (self.n_reviewers,):
                raise InvalidAssignmentInput(f"{what} needs one value per reviewer")
        if (loads < 0).any():
            raise InvalidAssignmentInput(f"{what} cannot be negative")
        return loads
