"""Text preparation for triage: one normal form for simplified, traditional and English text.

* Traditional Chinese is converted to simplified with zhconv (a pure-Python converter whose
  MediaWiki-derived table ships inside the package, so it works offline), so one model serves
  both scripts: 開膠 and 开胶 are the same feature.
* Full-width letters, digits and punctuation become half-width (NFKC), everything lower case,
  runs of white space one space.
* Tokens: jieba's words for Chinese (its dictionary also ships inside the package) and plain
  words for Latin text; punctuation and white space are dropped.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

import jieba
import zhconv

from peifu.domain.triage import Language

jieba.setLogLevel(logging.WARNING)

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
SPACES = re.compile(r"\s+")
WORD = re.compile(r"[^\W_]")  # a letter or digit of any script: a token (or a text) with one says something


def to_simplified(text: str) -> str:
    return str(zhconv.convert(text, "zh-cn"))


def to_traditional(text: str) -> str:
    """Traditional characters with Taiwan wording (for evaluating on converted samples)."""
    return str(zhconv.convert(text, "zh-tw"))


def normalise(text: str) -> str:
    """Simplified, half-width, lower case, single-spaced."""
    text = unicodedata.normalize("NFKC", text)
    if CJK.search(text):
        text = to_simplified(text)
    return SPACES.sub(" ", text).strip().lower()


def language_of(text: str) -> Language:
    """zh-Hant when converting to simplified changes the text, zh-Hans for other Chinese, else en.

    Only characters that exist in one script are telling (很多 is both); a text with none of them
    counts as simplified, the platform's default.
    """
    han = "".join(CJK.findall(text))
    if not han:
        return Language.en
    # character by character: a phrase conversion may change the length (so the texts would not line up)
    scripts = [_changes(c) for c in han]
    changed = sum(1 for to_hans, _ in scripts if to_hans)
    if changed == 0:
        return Language.zh_hans
    kept = sum(1 for _, to_hant in scripts if to_hant)  # simplified-only characters
    return Language.zh_hant if changed >= kept else Language.zh_hans


@lru_cache(maxsize=65536)
def _changes(char: str) -> tuple[bool, bool]:
    """Whether a character changes when converted to simplified, and when converted to traditional
    (the conversions are the slow part of telling the scripts apart; a text repeats its characters)."""
    return to_simplified(char) != char, str(zhconv.convert(char, "zh-hant")) != char


@lru_cache(maxsize=1)
def _ready() -> None:
    jieba.initialize()


def tokenize(text: str) -> list[str]:
    """Words of a normalised text: jieba's cut (it also splits Latin words and numbers)."""
    _ready()
    return [w for w in jieba.lcut(text) if WORD.search(w)]
