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
                "Digital customer service for older people",
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


def test_finnish_inflected_forms_count_as_one_term_shown_as_written_most():
    statements = pd.DataFrame(
        {
            "theme": ["Osaaminen"] * 4 + ["Data"] * 2,
            "text": [
                "Osaaminen ratkaisee, miten strategia onnistuu.",
                "Tiimimme osaamisen kehittäminen vaatii aikaa.",
                "Meiltä puuttuu digitaalista osaamista.",
                "Uuden osaamisen oppiminen työn ohessa on vaikeaa.",
                "Raportit tulevat liian myöhään.",
                "Raporttien luvuista ei ole hyötyä.",
            ],
        }
    )
    terms = key_terms(statements, top=3)
    skills = terms[terms["theme"] == "Osaaminen"]
    assert skills["term"].tolist()[0] == "osaamisen"  # written so twice, once each in two other forms
    assert skills["count"].tolist()[0] == 4
    assert not set(skills["term"]) & {"osaaminen", "osaamista"}  # no form counted apart
    reports = terms[terms["theme"] == "Data"]
    assert reports.set_index("term").loc["raportit", "count"] == 2  # "raportit", "raporttien"


def test_a_finnish_compound_also_counts_for_its_last_part():
    statements = pd.DataFrame(
        {
            "theme": ["Palvelu"] * 3 + ["Muu"],
            "text": [
                "Asiakaspalvelun pitää olla nopeaa.",
                "Palvelun laatu ratkaisee.",
                "Chat-palvelu ja puhelinpalvelu yhdessä.",
                "Kokoukset venyvät.",
            ],
        }
    )
    terms = key_terms(statements, top=8).set_index("term")
    # "palvelun" on its own, and as the last part of "asiakaspalvelun", "chat-palvelu" and
    # "puhelinpalvelu"; "kokoukset" ends in no word of the statements.
    assert terms.loc["palvelun", "count"] == 4
    assert "asiakaspalvelun pitää" in terms.index  # the compound stays in terms of its own
