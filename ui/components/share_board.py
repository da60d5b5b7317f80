"""The Share phase's themes: a tab each with its prompt, the answer box, the person's own
statements (Edit, Withdraw) and what others said. Written to by the board's own request
(`POST api/share`), not a page run; what a person is typing survives a redraw."""

from __future__ import annotations

from ui.components import component, requesting
from web import paths
from workshop import views
from workshop.i18n import _
from workshop.model import Statement, Workshop
from workshop.text import MAX_TEXT

KEY = "share_board"
OTHERS_SHOWN = 80  # others' statements listed per theme, newest first
_component = component(
    KEY, js=("cards.js", "share_board.js"), css=("cards.css", "writing.css", "share_board.css")
)


def draw(
    workshop: Workshop,
    seen: list[Statement],
    mine: list[Statement],
    participant_id: int,
    token: str,
    named: frozenset[str],
) -> None:
    """Draw a tab per theme: its prompt, the answer box, `mine` on it and others' statements
    in `seen`, each with who wrote it as others may see it (`named`: the teams shown by name)."""
    themes = []
    for theme in workshop.themes:
        others = [s for s in seen if s.theme_id == theme.id and s.participant_id != participant_id]
        themes.append(
            {
                "id": theme.id,
                "title": theme.title,
                "prompt": theme.prompt,
                "others_count": len(others),
                "others": [
                    views.others_said(s, workshop.anonymous, named) for s in reversed(others[-OTHERS_SHOWN:])
                ],
            }
        )
    data = requesting(
        paths.SHARE,
        token,
        max_chars=MAX_TEXT,
        themes=themes,
        mine=[views.own_statement(s.id, s.theme_id, s.text) for s in mine],
        text={
            "you_wrote": _("You wrote"),
            "your_statement": _("Your statement"),
            "your_answer": _("Your answer"),
            "share": _("Share"),
            "others_said": _("What others said ({count})"),
        },
    )
    _component(key=KEY, data=data)
