"""Workshop templates: JSON files under data/templates that prefill a new workshop. The
built-in ones come with Cocreate; "Save as template" on Facilitate writes one from a workshop
(its texts, themes and questions, settings and featured practices), and a template file can
be downloaded and imported on another Cocreate."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from workshop import i18n, schedule, settings, timezones
from workshop.errors import InvalidSetting, InvalidText
from workshop.i18n import _
from workshop.model import DEFAULT_PROMPT, Phase, ThemeDraft, WorkshopDraft
from workshop.store import utcnow
from workshop.text import clean_label

TEMPLATE_DIR = settings.PROJECT_ROOT / "data" / "templates"
MAX_TEMPLATE_BYTES = 64 * 1024
MAX_TEMPLATE_NAME = 80  # characters of a template's name
MAX_SAVED = 100  # templates saved or imported, beside the built-in ones
MAX_PHASE_DAYS = 60  # the longest a template keeps a phase open
SETTINGS = (  # WorkshopDraft's switches a template keeps (absent: the draft's default)
    "anonymous",
    "hide_results",
    "rate_needs",
    "projector_dark",
    "lock_after_reveal",
    "ask_practices",
    "show_help_pairs",
)


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    draft: WorkshopDraft
    featured: tuple[int, ...] = ()  # practices of the library shown in a workshop made from it


def parse_template(raw: object, key: str) -> Template:
    """A template from its JSON (already read); InvalidSetting names what is wrong."""
    try:
        if not isinstance(raw, dict):
            raise TypeError(_("not an object"))
        defaults = WorkshopDraft("", "", ())
        switches: dict[str, Any] = {name: bool(raw.get(name, getattr(defaults, name))) for name in SETTINGS}
        draft = WorkshopDraft(
            title=str(raw.get("title", "")),
            strategy=str(raw.get("strategy", "")),
            themes=tuple(
                ThemeDraft(str(t["title"]), str(t.get("prompt") or DEFAULT_PROMPT))
                for t in raw.get("themes", [])
            ),
            dot_budget=int(raw.get("dot_budget", 5)),
            per_need_cap=int(raw.get("per_need_cap", 3)),
            teams=tuple(str(t) for t in raw.get("teams", ())),
            language=i18n.normalise(str(raw.get("language") or i18n.ENGLISH)),
            **switches,
            **_timing(raw),
        )
        featured = tuple(int(i) for i in raw.get("featured_practices", ()))
    except (TypeError, KeyError, ValueError, AttributeError, OverflowError) as exc:
        raise InvalidSetting(
            _("That is not a Cocreate template ({exc}). Choose a file saved with “Save as template”.").format(
                exc=exc
            )
        ) from None
    return Template(key, str(raw.get("name") or key), draft, featured)


def _timing(raw: dict[str, Any]) -> dict[str, Any]:
    """A template's schedule: self-paced or live, and how many days each phase stays open
    (a schedule from the next morning in the organisation's time zone, made when the
    template is read: a template keeps durations, not dates)."""
    days = {Phase(name): int(n) for name, n in (raw.get("phase_days") or {}).items()}
    if any(not 1 <= n <= MAX_PHASE_DAYS for n in days.values()):
        raise ValueError(_("a phase stays open 1 to {value} days").format(value=MAX_PHASE_DAYS))
    zone_name = settings.time_zone() if settings.time_zone() in timezones.zones() else "UTC"
    opens = schedule.default_schedule(zone_name, utcnow(), schedule.DEFAULT_DAYS | days)
    return {"self_paced": bool(raw.get("self_paced", False)), "time_zone": zone_name, "schedule": opens}


def saved_dir() -> Path:
    """Where saved and imported templates go: COCREATE_TEMPLATE_DIR, else beside the
    built-in ones in data/templates."""
    return Path(settings.get("COCREATE_TEMPLATE_DIR") or TEMPLATE_DIR)


def load_templates(directory: Path | None = None) -> list[Template]:
    """Every template in `directory` (the built-in ones, and those saved), ordered by name,
    "Start from scratch" first."""
    folders = [directory] if directory else list(dict.fromkeys([TEMPLATE_DIR, saved_dir()]))
    found = [
        parse_template(json.loads(path.read_text(encoding="utf-8")), path.stem)
        for folder in folders
        for path in sorted(folder.glob("*.json"))
    ]
    return sorted(found, key=lambda t: (bool(t.draft.themes), t.name))


def offered(language: str) -> list[Template]:
    """The templates a workshop is created from, for a facilitator speaking `language`: those
    in it first, so the first offered speaks it, then the others; one blank, theirs (the form
    chooses the room's language)."""
    return sorted(
        (t for t in load_templates() if t.draft.themes or t.draft.language == language),
        key=lambda t: t.draft.language != language,
    )


def template(key: str) -> Template:
    return next(t for t in load_templates() if t.key == key)


def template_json(name: str, draft: WorkshopDraft, featured: tuple[int, ...] = ()) -> str:
    """A template as the JSON file that keeps it."""
    values = asdict(draft)
    body = {
        "name": name,
        "title": draft.title,
        "strategy": draft.strategy,
        "themes": [{"title": t.title, "prompt": t.prompt} for t in draft.themes],
        "dot_budget": draft.dot_budget,
        "per_need_cap": draft.per_need_cap,
        "teams": list(draft.teams),
        "language": draft.language,
        **{name: values[name] for name in SETTINGS},
        "self_paced": draft.self_paced,
        "phase_days": {
            phase.value: days for phase, days in schedule.days_open(draft.schedule, draft.time_zone).items()
        },
        "featured_practices": list(featured),
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def save_template(
    name: str, draft: WorkshopDraft, featured: tuple[int, ...] = (), directory: Path | None = None
) -> Template:
    """Write a template into `directory` under a key made from its name (a new one: an
    existing file is never replaced); the template as it is listed. The name is cleaned as
    every label is; a built-in template's name, and more than MAX_SAVED saved templates, are
    refused (InvalidText, InvalidSetting)."""
    name = clean_label(name, what=_("The template's name"), limit=MAX_TEMPLATE_NAME) or ""
    if not name:
        raise InvalidText(_("The template's name is empty. Name it, for example after the strategy."))
    if name.casefold() in {t.name.casefold() for t in load_templates(TEMPLATE_DIR)}:
        raise InvalidSetting(
            _("“{name}” is the name of a built-in template. Give yours another name.").format(name=name)
        )
    directory = directory or saved_dir()
    if directory.is_dir() and len(list(directory.glob("*.json"))) - _built_in_here(directory) >= MAX_SAVED:
        raise InvalidSetting(
            _(
                "Cocreate keeps at most {value} saved templates. Ask your administrator to remove some."
            ).format(value=MAX_SAVED)
        )
    slug = re.sub(
        r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    )
    slug = slug.strip("-")[:40] or "template"
    directory.mkdir(parents=True, exist_ok=True)
    key, n = slug, 1
    while (directory / f"{key}.json").exists() or (TEMPLATE_DIR / f"{key}.json").exists():
        n += 1
        key = f"{slug}-{n}"
    (directory / f"{key}.json").write_text(template_json(name, draft, featured), encoding="utf-8")
    return Template(key, name, draft, featured)


def import_template(data: bytes, directory: Path | None = None) -> Template:
    """A template file (downloaded from a Cocreate) added to `directory`; InvalidSetting when
    it is too large, not JSON or not a template."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise InvalidSetting(
            _("A template file is at most {value} KB; this one is larger.").format(
                value=MAX_TEMPLATE_BYTES // 1024
            )
        )
    try:
        raw = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidSetting(
            _("That file is not a template (not JSON). Choose a .json file saved by Cocreate.")
        ) from None
    found = parse_template(raw, "imported")
    return save_template(found.name, found.draft, found.featured, directory)


def _no_constant(name: str) -> None:
    """JSON's NaN and Infinity are no template's numbers."""
    raise ValueError(name)


def _built_in_here(directory: Path) -> int:
    """How many of `directory`'s files are the built-in templates (saved ones sit beside them
    unless COCREATE_TEMPLATE_DIR says otherwise)."""
    return len(list(TEMPLATE_DIR.glob("*.json"))) if directory.resolve() == TEMPLATE_DIR.resolve() else 0
