"""How alike two development needs are, for the duplicates people would otherwise split
their dots between: "Data literacy" and "data literacy", "Customer interviews" and
"Interviewing customers", a typo.

A need's text is compared by the stems of its words (English and Finnish Snowball stems,
stop words left out; a typo counts as the same word): the likeness is the Dice coefficient
of the two sets, 1.0 for texts that differ only in case, spacing or punctuation; or of their
concepts (terms.concepts), when that is higher: a need and its translation are alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from workshop.terms import STOP_WORDS, concepts, stem

SIMILAR = 0.45  # offered as "maybe the same" while someone types a need
LIKELY_DUPLICATE = 0.6  # grouped for the facilitator to merge
TYPO = 0.75  # two words' letters this alike are the same word mistyped
RELEVANT = 0.5  # a practice speaking of half a typed need's words is offered beside it

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=8192)
def normalised(text: str) -> str:
    """The text as compared for sameness: lowercase words separated by single spaces."""
    return " ".join(_WORD.findall(text.casefold()))


@lru_cache(maxsize=8192)
def stems(text: str) -> tuple[str, ...]:
    """The stems of a text's words other than stop words, each once, in order."""
    words = [w for w in normalised(text).split() if w not in STOP_WORDS and len(w) > 1]
    return tuple(dict.fromkeys(stem(w) for w in words))


@lru_cache(maxsize=65536)
def _same_word(a: str, b: str) -> bool:
    """The same stem, or one a typo away (four letters or more, 75 % alike)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    return SequenceMatcher(None, a, b).ratio() >= TYPO


@lru_cache(maxsize=1 << 18)
def likeness(a: str, b: str) -> float:
    """How alike two texts are, 0–1: the share of their word stems they have in common
    (a typo counts as the same word); 1 for the same words in any case or punctuation.
    Kept for each pair of texts: a list of needs grows by one need at a time."""
    if not normalised(a) or not normalised(b):  # no words ("{}", "[]"): the same only when equal
        return float(a.strip().casefold() == b.strip().casefold())
    if normalised(a) == normalised(b):
        return 1.0
    sa, sb = stems(a), stems(b)
    if not sa or not sb:
        return 0.0
    left = list(sb)
    common = 0
    for word in sa:
        match = next((other for other in left if _same_word(word, other)), None)
        if match is not None:
            left.remove(match)
            common += 1
    return max(2 * common / (len(sa) + len(sb)), _meaning(a, b))


@lru_cache(maxsize=8192)
def _concepts(text: str) -> frozenset[str]:
    return frozenset(concepts(text))


def _meaning(a: str, b: str) -> float:
    """The share of two texts' concepts they have in common (terms.concepts): a need and its
    translation ("Data literacy for everyone", "Datalukutaito kaikille") are alike."""
    ca, cb = _concepts(a), _concepts(b)
    return 2 * len(ca & cb) / (len(ca) + len(cb)) if ca and cb else 0.0


def most_alike(
    text: str, candidates: Iterable[tuple[int, str]], at_least: float = SIMILAR, top: int = 3
) -> list[tuple[int, float]]:
    """The ids of the `top` candidates (id, text) most like `text`, with their likeness, most
    alike first; only those at least `at_least` alike."""
    if not normalised(text):
        return []
    scored = [(item_id, likeness(text, other)) for item_id, other in candidates]
    found = [(item_id, score) for item_id, score in scored if score >= at_least]
    found.sort(key=lambda pair: (-pair[1], pair[0]))
    return found[:top]


def covered(query: str, text: str) -> float:
    """How much of `query` a longer `text` speaks of, 0–1: the share of the query's word
    stems found among the text's (a typo counts as the same word). A need of a few words
    beside a practice's title and description, where likeness would be small for its length."""
    asked, told = stems(query), stems(text)
    if not asked or not told:
        return 0.0
    found = sum(1 for word in asked if any(_same_word(word, other) for other in told))
    return found / len(asked)


def most_relevant(
    query: str, candidates: Iterable[tuple[int, str]], at_least: float = RELEVANT, top: int = 3
) -> list[int]:
    """The ids of the `top` candidates (id, text) that speak most of `query` (see covered),
    at least `at_least` of it; most first."""
    if len(stems(query)) == 0:
        return []
    scored = [(item_id, covered(query, text)) for item_id, text in candidates]
    found = sorted(((s, i) for i, s in scored if s >= at_least), key=lambda pair: (-pair[0], pair[1]))
    return [item_id for _, item_id in found[:top]]


def duplicate_groups(items: Sequence[tuple[int, str]], at_least: float = LIKELY_DUPLICATE) -> list[list[int]]:
    """Groups of ids whose texts are likely the same need: each id in a group is at least
    `at_least` alike to another of the group. Groups of two or more, each in the order of
    `items`, the groups by their first id's place."""
    place = {item_id: i for i, (item_id, _) in enumerate(items)}
    parent = {item_id: item_id for item_id, _ in items}

    def root(item_id: int) -> int:
        while parent[item_id] != item_id:
            parent[item_id] = parent[parent[item_id]]
            item_id = parent[item_id]
        return item_id

    for i, (a, text_a) in enumerate(items):
        for b, text_b in items[i + 1 :]:
            if likeness(text_a, text_b) >= at_least:
                ra, rb = root(a), root(b)
                if ra != rb:
                    parent[max(ra, rb, key=place.__getitem__)] = min(ra, rb, key=place.__getitem__)
    groups: dict[int, list[int]] = {}
    for item_id, _ in items:
        groups.setdefault(root(item_id), []).append(item_id)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: place[g[0]])
