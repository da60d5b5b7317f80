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

import math
import re
import threading
from collections import Counter
from functools import lru_cache

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
    found = []
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
    surface: dict[str, Counter] = {}
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
