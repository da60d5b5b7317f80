"""How alike two needs are: what a person would call the same need is alike, what they
would call different is not."""

from __future__ import annotations

import pytest

from workshop.similar import LIKELY_DUPLICATE, SIMILAR, duplicate_groups, likeness, most_alike, normalised


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Data literacy", "data literacy"),
        ("Data literacy", "  DATA   literacy!"),
        ("Customer interviews", "Interviewing customers"),
        ("Customer interviews", "Custmer interveiws"),
        ("Sustainability reporting", "Reporting on sustainability"),
        ("Building a weekly team dashboard", "Weekly dashboard for the team"),
        ("Asiakkaiden kohtaaminen", "asiakkaan kohtaamisen taidot"),
        ("Digitaalinen osaaminen", "digitaalista osaamista"),
        ("Datan osaaminen tiimeissä", "Osaamisen kehittäminen datassa"),
    ],
)
def test_the_same_need_in_other_words_case_order_or_with_a_typo_is_a_likely_duplicate(a, b):
    assert likeness(a, b) >= LIKELY_DUPLICATE
    assert likeness(a, b) == likeness(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Coaching skills", "Negotiation training"),
        ("Time management", "Project management"),
        ("Pricing conversations", "Pricing talks with customers"),
        ("Sales training", "Sales trading"),
    ],
)
def test_different_needs_are_not_likely_duplicates(a, b):
    assert likeness(a, b) < LIKELY_DUPLICATE


def test_only_case_spacing_and_punctuation_make_the_same_words():
    assert normalised(" Data-literacy:  for EVERYONE ") == "data literacy for everyone"
    assert likeness("Data literacy", "Data literacy.") == 1.0
    assert likeness("", "Data literacy") == 0.0 and likeness("the and of", "Data") == 0.0


def test_the_needs_most_like_a_text_come_most_alike_first_at_most_three():
    needs = [
        (1, "Data literacy: reading and questioning reports"),
        (2, "Coaching skills"),
        (3, "data literacy"),
        (4, "Data literacy training"),
        (5, "Literacy in data for all"),
    ]
    found = most_alike("Data literacy", needs)
    assert [need_id for need_id, _ in found] == [3, 5, 4]  # the same words first, then more words
    assert found[0][1] == 1.0 and all(score >= SIMILAR for _, score in found)
    assert most_alike("Negotiation", needs) == [] and most_alike("  ", needs) == []


def test_likely_duplicates_are_grouped_in_the_order_of_the_list():
    needs = [
        (7, "Coaching skills"),
        (8, "Data literacy"),
        (9, "Negotiation"),
        (10, "coaching skill"),
        (11, "Data literacy training"),
        (12, "Literacy for data"),
    ]
    assert duplicate_groups(needs) == [[7, 10], [8, 11, 12]]
    assert duplicate_groups(needs[:3]) == []
