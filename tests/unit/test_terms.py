"""Key terms: phrases that set one theme apart, without stop words."""

from __future__ import annotations

import pandas as pd

from workshop.terms import key_terms, phrases


def test_phrases_stop_at_stop_words_and_punctuation():
    assert phrases("Data literacy and data-driven decisions. Meillä ei ole dataa!") == [
        "data",
        "literacy",
        "data literacy",
        "data-driven",
        "decisions",
        "data-driven decisions",
        "dataa",
    ]


def test_a_phrase_frequent_in_one_theme_and_absent_in_others_ranks_first():
    statements = pd.DataFrame(
        {
            "theme": ["A", "A", "A", "B", "B"],
            "text": [
                "Customer service must be digital",
                "Digital customer service for older customers",
                "Better customer service tools",
                "Customer data literacy",
                "Data literacy training",
            ],
        }
    )
    terms = key_terms(statements, top=3)
    a = terms[terms["theme"] == "A"]
    b = terms[terms["theme"] == "B"]
    assert a["term"].tolist()[0] == "customer service"
    assert "customer" not in a["term"].tolist()  # it only repeats "customer service"
    assert b["term"].tolist()[0] == "data literacy"
    assert (a["weight"].diff().dropna() <= 0).all()


def test_finnish_stop_words_are_removed():
    terms = key_terms(
        pd.DataFrame({"theme": ["A"], "text": ["Meidän täytyy oppia asiakastyötä ja että se on hyvä"]})
    )
    assert set(terms["term"]) & {"että", "se", "on", "ja"} == set()
    assert any("asiakastyötä" in term for term in terms["term"])


def test_no_terms_from_stop_words_only_or_no_statements():
    assert key_terms(pd.DataFrame({"theme": ["A"], "text": ["and the of ja on"]})).empty
    assert key_terms(pd.DataFrame(columns=["theme", "text"])).empty
