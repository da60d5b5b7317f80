"""The Propose phase's form and the person's own proposals (Edit, Withdraw), written to by
the board's own request (`POST api/propose`), not a page run. While the person types, the
needs of others most like it are offered with "Me too" (`POST api/similar`, `POST api/back`),
and the practices the room sees that speak of it, which the new need may point to."""

from __future__ import annotations

from ui.components import component, plural, requesting
from ui.components.back_board import backing_text
from web import paths
from workshop import views
from workshop.i18n import N_, _
from workshop.model import Need, Workshop
from workshop.text import MAX_TEXT

KEY = "propose_board"
ASK = N_("A development need (a skill, practice or capability)")
_component = component(
    KEY, js=("cards.js", "propose_board.js"), css=("cards.css", "writing.css", "propose_board.css")
)


def draw(workshop: Workshop, mine: list[Need], token: str, words: list[dict]) -> None:
    """Draw the theme choice, the text box and `mine`, the person's proposals (oldest first);
    `words`: what people said (views.words_for_needs), to turn into a need."""
    data = requesting(
        paths.PROPOSE,
        token,
        max_chars=MAX_TEXT,
        ask=_(ASK),
        themes=[{"id": t.id, "title": t.title} for t in workshop.themes],
        mine=[views.own_need(n.id, n.theme_id, n.text, n.backers) for n in sorted(mine, key=lambda n: n.id)],
        similar=paths.relative(paths.SIMILAR),
        back=paths.relative(paths.BACK),
        words=words,
        text={
            **backing_text(),
            "theme": _("Theme"),
            "you_proposed": _("You proposed"),
            "your_proposal": _("Your proposal"),
            "will_cite": _("Your need will cite what was said:"),
            "do_not_cite": _("Do not cite"),
            "turn_said": _("Turn what people said into a need"),
            **plural("agree", "{n} agrees", "{n} agree"),
            "cited": _("✓ Cited"),
            "turn_this": _("Turn this into a need"),
            "others_do": _("Others already do this: point your need to what you would learn from"),
            "learning": _("✓ Learn from this"),
            "learn": _("Learn from this"),
            "on_the_list": _("Already on the list: back one of these instead of proposing it again?"),
            "propose": _("Propose"),
            "your_proposals": _("Your proposals"),
        },
    )
    _component(key=KEY, data=data)
