"""Key terms of each theme: the 1–3-word phrases that set its statements apart.

Class-based TF-IDF: all statements of a theme form one document (the class). For a term t
and a class c,

    weight(t, c) = tf(t, c) · log(1 + A / f(t))

where tf(t, c) is t's count in c divided by the number of terms in c, f(t) is t's count over
all classes and A is the average number of terms per class. A phrase frequent in one theme
and rare in the others ranks high. English and Finnish stop words are removed first.

Words count by their stems (English and Finnish Snowball stems), so that inflected forms are
one term ("osaaminen", "osaamisen", "osaamista"; "report", "reports"), shown in the form
people wrote most. Finnish joins words into compounds: a compound whose last part is a word
the statements also use on its own counts for that word too ("asiakaspalvelu" for
"palvelu"), besides being a term of its own.
"""

from __future__ import annotations

import csv
import math
import os
import re
import threading
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pandas as pd
import snowballstemmer
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

FINNISH_STOP_WORDS = frozenset(
    [
        "aika",
        "alla",
        "ehkä",
        "ei",
        "eivät",
        "emme",
        "en",
        "enemmän",
        "ennen",
        "et",
        "ette",
        "että",
        "he",
        "heidän",
        "heidät",
        "heihin",
        "heille",
        "heillä",
        "heiltä",
        "heissä",
        "heistä",
        "heitä",
        "hän",
        "häneen",
        "hänelle",
        "hänellä",
        "häneltä",
        "hänen",
        "hänessä",
        "hänestä",
        "hänet",
        "häntä",
        "itse",
        "ja",
        "johon",
        "joiden",
        "joihin",
        "joiksi",
        "joilla",
        "joille",
        "joilta",
        "joina",
        "joissa",
        "joista",
        "joita",
        "joka",
        "joksi",
        "jolla",
        "jolle",
        "jolta",
        "jona",
        "jonka",
        "jos",
        "jossa",
        "josta",
        "jota",
        "jotka",
        "kanssa",
        "keiden",
        "keihin",
        "keiksi",
        "keille",
        "keillä",
        "keiltä",
        "keinä",
        "keissä",
        "keistä",
        "keitä",
        "keneen",
        "keneksi",
        "kenelle",
        "kenellä",
        "keneltä",
        "kenen",
        "kenenä",
        "kenessä",
        "kenestä",
        "kenet",
        "ketkä",
        "ketä",
        "koska",
        "kuin",
        "kuka",
        "kun",
        "me",
        "meidän",
        "meidät",
        "meihin",
        "meille",
        "meillä",
        "meiltä",
        "meissä",
        "meistä",
        "meitä",
        "mihin",
        "mikin",
        "miksi",
        "mikä",
        "mille",
        "millä",
        "miltä",
        "minkä",
        "minne",
        "minua",
        "minulla",
        "minulle",
        "minulta",
        "minun",
        "minussa",
        "minusta",
        "minut",
        "minuun",
        "minä",
        "missä",
        "mistä",
        "mitkä",
        "mitä",
        "mukaan",
        "mutta",
        "myös",
        "ne",
        "niiden",
        "niihin",
        "niiksi",
        "niille",
        "niillä",
        "niiltä",
        "niin",
        "niinä",
        "niissä",
        "niistä",
        "niitä",
        "noiden",
        "noihin",
        "noiksi",
        "noilla",
        "noille",
        "noilta",
        "noin",
        "noina",
        "noissa",
        "noista",
        "noita",
        "nuo",
        "nyt",
        "näiden",
        "näihin",
        "näiksi",
        "näille",
        "näillä",
        "näiltä",
        "näinä",
        "näissä",
        "näistä",
        "näitä",
        "nämä",
        "ole",
        "olemme",
        "olen",
        "olet",
        "olette",
        "oli",
        "olimme",
        "olin",
        "olisi",
        "olisimme",
        "olisin",
        "olisit",
        "olisitte",
        "olisivat",
        "olit",
        "olitte",
        "olivat",
        "olla",
        "olleet",
        "ollut",
        "on",
        "ovat",
        "paljon",
        "se",
        "sekä",
        "sen",
        "siihen",
        "siinä",
        "siitä",
        "siksi",
        "sille",
        "sillä",
        "siltä",
        "sinua",
        "sinulla",
        "sinulle",
        "sinulta",
        "sinun",
        "sinussa",
        "sinusta",
        "sinut",
        "sinuun",
        "sinä",
        "sitä",
        "tai",
        "te",
        "teidän",
        "teidät",
        "teihin",
        "teille",
        "teillä",
        "teiltä",
        "teissä",
        "teistä",
        "teitä",
        "tuo",
        "tuohon",
        "tuoksi",
        "tuolla",
        "tuolle",
        "tuolta",
        "tuon",
        "tuona",
        "tuossa",
        "tuosta",
        "tuota",
        "tähän",
        "täksi",
        "tälle",
        "tällä",
        "tältä",
        "tämä",
        "tämän",
        "tänä",
        "tässä",
        "tästä",
        "tätä",
        "vaan",
        "vai",
        "vaikka",
        "voi",
        "voida",
        "yli",
    ]
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | FINNISH_STOP_WORDS


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_STEMMERS = threading.local()  # a Snowball stemmer keeps its word while it works: one per thread
# Finnish nouns in -nen keep an -s- in their other cases (osaaminen, osaamisen, osaamista):
# Snowball leaves "osaamin", "osaamis" and "osaam"; these endings say the word is such a noun.
_FINNISH_NEN = re.compile(
    r"(nen|set|sen|sta|stä|sia|siä|seen|sessa|sessä|sesta|sestä|selle|sella|sellä|sena|senä|siin|sten)$"
)
COMPOUND_HEAD = 4  # letters at least in the last part of a compound that counts for that word
COMPOUND_REST = 3  # and in what comes before it


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word's stem: the shorter of its English and Finnish Snowball stems (each leaves a
    word of the other language nearly as it is); a Finnish -nen noun's cases share one."""
    pair = getattr(_STEMMERS, "pair", None)
    if pair is None:
        pair = _STEMMERS.pair = (snowballstemmer.stemmer("english"), snowballstemmer.stemmer("finnish"))
    english, finnish = (stemmer.stemWord(word) for stemmer in pair)
    if len(finnish) >= 5 and finnish.endswith(("is", "in")) and _FINNISH_NEN.search(word):
        finnish = finnish[:-2]
    return min((english, finnish), key=len)


def _runs(text: str) -> list[list[str]]:
    """The runs of words of a text (lowercase) between stop words and punctuation."""
    runs = []
    for clause in re.split(r"[.,;:!?()\[\]\"“”/\n]+", text.lower()):
        run: list[str] = []
        for word in [*_WORD.findall(clause), ""]:  # "" ends the last run
            if word and word not in STOP_WORDS and len(word) > 1:
                run.append(word)
                continue
            if run:
                runs.append(run)
            run = []
    return runs


def _grams(run: list[str]) -> list[str]:
    return [" ".join(run[i : i + n]) for n in (1, 2, 3) for i in range(len(run) - n + 1)]


def phrases(text: str) -> list[str]:
    """The 1–3-word phrases of a text that neither cross a stop word nor punctuation."""
    return [gram for run in _runs(text) for gram in _grams(run)]


def stemmed_phrases(text: str) -> list[tuple[str, str]]:
    """Each phrase of `phrases(text)` as (its words' stems, the phrase as written)."""
    found: list[tuple[str, str]] = []
    for run in _runs(text):
        found += zip(_grams([stem(w) for w in run]), _grams(run), strict=True)
    return found


def compound_heads(stems: set[str]) -> dict[str, str]:
    """Compound stem -> the stem of its last part, for the one-word stems in `stems` that end
    in another of them ("asiakaspalvelu" -> "palvelu"), the longest such part."""
    heads = {}
    for whole in stems:
        for start in range(COMPOUND_REST, len(whole) - COMPOUND_HEAD + 1):
            if whole[start:] in stems:
                heads[whole] = whole[start:]
                break
    return heads


def key_terms(statements: pd.DataFrame, top: int = 8) -> pd.DataFrame:
    """The `top` key terms of each theme: theme, term, weight, count (themes in given order).

    `statements` has columns theme and text. A term that only repeats part of a better-ranked
    phrase (same count) is left out. Themes without terms have no rows.
    """
    columns = ["theme", "term", "weight", "count"]
    if statements.empty:
        return pd.DataFrame(columns=columns)
    themes = list(dict.fromkeys(statements["theme"]))
    written = [stemmed_phrases(text) for text in statements["text"]]
    surface: dict[str, Counter[str]] = {}
    for pairs in written:
        for stems, words in pairs:
            surface.setdefault(stems, Counter())[words] += 1
    heads = compound_heads({s for s in surface if " " not in s})

    def analyse(i: int) -> list[str]:
        found = [stems for stems, _words in written[i]]
        return found + [heads[s] for s in found if s in heads]

    vectorizer = CountVectorizer(analyzer=analyse)
    try:
        per_statement = vectorizer.fit_transform(range(len(statements)))
    except ValueError:  # no phrase at all
        return pd.DataFrame(columns=columns)
    membership = sparse.csr_matrix(
        ([1] * len(statements), ([themes.index(t) for t in statements["theme"]], range(len(statements)))),
        shape=(len(themes), len(statements)),
    )
    counts = (membership @ per_statement).tocsr()
    vocabulary = vectorizer.get_feature_names_out()
    per_class = counts.sum(axis=1).A1
    overall = counts.sum(axis=0).A1
    average = per_class[per_class > 0].mean()
    rows = []
    for i, theme in enumerate(themes):
        row = counts.getrow(i)
        scored = [
            (str(vocabulary[j]), (c / per_class[i]) * math.log(1 + average / overall[j]), int(c))
            for j, c in zip(row.indices, row.data, strict=True)
        ]
        # Highest weight first; on a tie the longer phrase, then alphabetical, so the order is stable.
        scored.sort(key=lambda s: (-round(s[1], 12), -len(s[0].split()), s[0]))
        chosen: list[tuple[str, float, int]] = []
        for term, weight, count in scored:
            if len(chosen) == top:
                break
            if any(count == c and f" {term} " in f" {t} " for t, _, c in chosen):
                continue
            chosen.append((term, weight, count))
        # Each term in the form people wrote most (on a tie, the first in the alphabet).
        rows += [
            (theme, min(surface[term].items(), key=lambda s: (-s[1], s[0]))[0], weight, count)
            for term, weight, count in chosen
        ]
    return pd.DataFrame(rows, columns=columns)


# Finnish words of workshops and their English (workshop/glossary.csv): a need written in
# one language is compared with a need in the other by these shared concepts.
GLOSSARY = Path(__file__).with_name("glossary.csv")
GLOSSED = 4  # letters a Finnish stem shares at least with a glossary word's (and all but two of its)


def _english(word: str) -> str:
    stemmers = getattr(_STEMMERS, "english", None)
    if stemmers is None:
        stemmers = _STEMMERS.english = snowballstemmer.stemmer("english")
    return stemmers.stemWord(word)


@lru_cache(maxsize=1)
def _glossary() -> dict[str, dict[str, tuple[str, ...]]]:
    """The glossary by the first letters of its Finnish stems: {first GLOSSED letters:
    {Finnish stem: its English words' stems}} ("raport" -> ("report",))."""
    with GLOSSARY.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    for row in rows:
        finnish = stem(row["fi"].lower())
        english = tuple(_english(w) for w in re.split(r"[-\s]+", row["en"].lower()) if w)
        found.setdefault(finnish[:GLOSSED], {}).setdefault(finnish, english)
    return found


def _glossed(word: str) -> tuple[str, ...] | None:
    """A Finnish word's English by the glossary, in any of its forms: the glossary word whose
    stem it shares all but two or three letters of ("asiakkaiden" and "asiakas", "tiimin" and
    "tiimi": the stems' changing consonants and endings); None when there is none."""
    own = stem(word)
    known = _glossary().get(own[:GLOSSED], {})
    if own in known or len(own) < GLOSSED:
        return known.get(own)
    best, shared = None, 0
    for candidate, english in known.items():
        common = len(os.path.commonprefix([own, candidate]))
        # Most of both: a compound ("palvelupolku") is not its first part ("palvelu").
        if common >= max(len(candidate), len(own)) - 2 - (len(own) > len(candidate)) and common > shared:
            best, shared = english, common
    return best


@lru_cache(maxsize=65536)
def concepts_of(word: str) -> tuple[str, ...]:
    """What a word speaks of, in both languages' terms: a Finnish word of the glossary (in any
    form, or a compound of such words: "datalukutaito") as its English words' stems, any
    other word as its own English stem."""
    found = _glossed(word)
    if found:
        return found
    for start in range(COMPOUND_REST, len(word) - COMPOUND_HEAD + 1):
        tail = _glossed(word[start:])
        if tail:  # the longest known last part; what comes before it, in turn
            return (*concepts_of(word[:start]), *tail)
    return (_english(word),)


def concepts(text: str) -> list[str]:
    """The concepts of a text's words other than stop words (concepts_of), in order."""
    words = [part for run in _runs(text) for word in run for part in re.split(r"[-'’]", word) if part]
    return [c for word in words for c in concepts_of(word)]
