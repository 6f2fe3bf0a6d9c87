"""Text normalisation for Vietnamese and English matching: NFC, lowercase, tokens, folding.

Vietnamese text arrives in NFC (precomposed) or NFD (base letter + combining marks) form, so
everything is NFC-normalised before tokenising; otherwise "bán" typed two ways would be two
words. Folding removes the tone and vowel marks ("bán dẫn" → "ban dan", "đ" → "d") for the
lower-weight channel that catches text typed without diacritics.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

WORD = re.compile(r"\w+")
BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”/|\n\r\t]+")  # n-grams never cross these

# Vietnamese function words: frequent, carry no topic (both with and without diacritics).
VIETNAMESE_STOP_WORDS = frozenset(
    {
        "và",
        "của",
        "các",
        "những",
        "cho",
        "trong",
        "với",
        "là",
        "được",
        "có",
        "để",
        "một",
        "này",
        "theo",
        "từ",
        "về",
        "tại",
        "trên",
        "đến",
        "khi",
        "như",
        "đã",
        "sẽ",
        "thì",
        "mà",
        "nhưng",
        "hoặc",
        "nên",
        "vào",
        "ra",
        "do",
        "bởi",
        "cũng",
        "rất",
        "nhiều",
        "sự",
        "việc",
    }
)


def normalize(text: str) -> str:
    """NFC and lowercase (casefold), so NFC and NFD spellings of a word are one word."""
    return unicodedata.normalize("NFC", text).casefold()


@lru_cache(maxsize=65_536)
def fold(word: str) -> str:
    """The word without Vietnamese diacritics: 'bán_dẫn' → 'ban_dan', 'đổi' → 'doi'."""
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


STOP_WORDS = (
    frozenset(ENGLISH_STOP_WORDS)
    | VIETNAMESE_STOP_WORDS
    | {fold(word) for word in VIETNAMESE_STOP_WORDS}
)


def segments(text: str) -> list[list[str]]:
    """Normalised words per phrase (phrases split at punctuation), stop words kept in place."""
    return [WORD.findall(part) for part in BREAK.split(normalize(text)) if part.strip()]


def ngrams(words: list[str], *, bigrams: bool = True) -> list[str]:
    """Unigrams and adjacent-word bigrams without stop words: Vietnamese compounds survive."""
    grams = [w for w in words if w not in STOP_WORDS and not w.isdigit()]
    if bigrams:
        grams += [
            f"{a} {b}" for a, b in pairwise(words) if a not in STOP_WORDS and b not in STOP_WORDS
        ]
    return grams
