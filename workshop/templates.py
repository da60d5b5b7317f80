"""Workshop templates: JSON files under data/templates that prefill a new workshop."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from workshop.model import DEFAULT_PROMPT, ThemeDraft, WorkshopDraft
from workshop.settings import PROJECT_ROOT

TEMPLATE_DIR = PROJECT_ROOT / "data" / "templates"


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    draft: WorkshopDraft


def load_templates(directory: Path = TEMPLATE_DIR) -> list[Template]:
    """Every template in `directory`, ordered by name, "Start from scratch" first."""
    found = []
    for path in sorted(directory.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        draft = WorkshopDraft(
            title=raw.get("title", ""),
            strategy=raw.get("strategy", ""),
            themes=tuple(
                ThemeDraft(t["title"], t.get("prompt") or DEFAULT_PROMPT) for t in raw.get("themes", [])
            ),
            dot_budget=int(raw.get("dot_budget", 5)),
            per_need_cap=int(raw.get("per_need_cap", 3)),
            teams=tuple(raw.get("teams", ())),
        )
        found.append(Template(path.stem, raw.get("name", path.stem), draft))
    return sorted(found, key=lambda t: (bool(t.draft.themes), t.name))


def template(key: str) -> Template:
    return next(t for t in load_templates() if t.key == key)
