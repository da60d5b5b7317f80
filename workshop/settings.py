"""Every setting of Cocreate, declared once with its default and help.

Values come from the environment (or, on the page side, from Streamlit secrets).
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str


SETTINGS = (
    Setting(
        "COCREATE_DB",
        str(PROJECT_ROOT / "data" / "cocreate.duckdb"),
        "Path of the DuckDB file that holds every workshop. Created when missing.",
    ),
    Setting(
        "COCREATE_DATABASE_URL",
        None,
        "A postgresql://user:password@host/database URL: keep every workshop in PostgreSQL "
        "instead of the DuckDB file, so several Cocreate processes can serve one workshop "
        "(see Running for a large audience). Overrides COCREATE_DB.",
    ),
    Setting(
        "COCREATE_ADMIN_KEY",
        None,
        "Organisation key that opens Review for every workshop, /metrics and /backup: at least "
        "24 random characters (make one with `python -c 'import secrets; print(secrets.token_urlsafe(24))'`); "
        "the app refuses to start with a weaker one. No default: without it, Review opens only "
        "with a facilitator key. Wrong keys are slowed down per client and capped at 30 a minute in all.",
    ),
    Setting(
        "COCREATE_METRICS_TOKEN",
        None,
        "A token a Prometheus scraper sends to /metrics (Authorization: Bearer …) instead of the "
        "organisation key, so that people guessing the organisation key never lock the scraper "
        "out; at least 24 random characters, like the organisation key. Default: none.",
    ),
    Setting(
        "COCREATE_MIN_TEAM_SIZE",
        "3",
        "Fewest people who answered that a group shown in a team breakdown, on the projector, in "
        'Review and in exports holds; smaller teams are pooled as "other", and a pool that is '
        "still smaller joins the smallest named team, so nobody can be singled out.",
    ),
    Setting(
        "COCREATE_PUBLIC_URL",
        None,
        "Address participants use to reach Cocreate, for join links and the QR code "
        "(e.g. https://cocreate.example.org). Default: the address the browser used.",
    ),
    Setting(
        "COCREATE_TRUSTED_PROXIES",
        None,
        "Comma-separated addresses or networks of the reverse proxies in front of Cocreate (e.g. "
        "127.0.0.1 for nginx on the same machine, 10.0.0.0/8; 'local' is a browser or proxy on "
        "this machine). Only from these is X-Forwarded-For believed, for counting wrong keys "
        "and joins per client. Default: none.",
    ),
    Setting(
        "COCREATE_JOINS_PER_ADDRESS",
        "60",
        "Most people who may join from one client address in a minute (a venue's network often "
        "shows a whole room as one address: raise it for a big room behind one); past it, the "
        "join form asks to wait a few seconds.",
    ),
    Setting(
        "COCREATE_STREAMS_PER_ADDRESS",
        "1000",
        "Most screens one client address may have following the room at once (a venue's "
        "network often shows a whole room as one address); past it, a screen asks every few "
        "seconds instead.",
    ),
    Setting(
        "COCREATE_TEMPLATE_DIR",
        str(PROJECT_ROOT / "data" / "templates"),
        "Folder where “Save as template” and imported templates are kept (the built-in "
        "templates of data/templates are offered too).",
    ),
    Setting(
        "COCREATE_BACKUP_DIR",
        str(PROJECT_ROOT / "data" / "backups"),
        "Folder where the running app writes the backups `python -m workshop backup` asks it "
        "for (POST /backup, with the organisation key).",
    ),
    Setting(
        "COCREATE_DEMO",
        None,
        "1 to seed the demo workshop the first time `python -m workshop init` runs (the container "
        "runs it at every start; `make run` asks for the demo itself). Default: no demo.",
    ),
    Setting(
        "COCREATE_BACKUPS_KEPT",
        "14",
        "How many backups the running app keeps in COCREATE_BACKUP_DIR; it removes the oldest beyond them.",
    ),
    Setting(
        "COCREATE_LOG_FORMAT",
        "text",
        "How the log is written to standard error: 'text' (a line a person reads) or 'json' "
        "(one JSON object per line, for a log collector). A line per request and per workshop "
        "event; never a key or a token.",
    ),
    Setting(
        "COCREATE_SCHEDULE_SECONDS",
        "10",
        "How often, in seconds, each Cocreate process looks for a self-paced workshop whose next "
        "phase is due and moves it (one process makes each move, also with several replicas).",
    ),
    Setting(
        "COCREATE_TIME_ZONE",
        "UTC",
        "The time zone (an IANA name such as Europe/Helsinki) a new self-paced workshop's "
        "schedule is written in unless the facilitator chooses another.",
    ),
    Setting(
        "COCREATE_MAX_STREAMS",
        "3000",
        "Most screens one Cocreate process follows at once (at most a third of the files it "
        "may open); past it, a screen asks every few seconds instead.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str, environ: dict[str, str] | None = None) -> str | None:
    """The value of a declared setting; an undeclared name is a programming error."""
    setting = _BY_NAME[name]
    env = os.environ if environ is None else environ
    value = env.get(name, "").strip()
    return value or setting.default


SECRETS = ("COCREATE_ADMIN_KEY", "COCREATE_METRICS_TOKEN")
SECRET_LENGTH = 24
MAKE_A_SECRET = "python -c 'import secrets; print(secrets.token_urlsafe(24))'"


def weak_secret(name: str, value: str | None) -> str | None:
    """Why the key or token `value` of setting `name` is too weak to guard what it opens (None
    when it is strong enough, or not set): fewer than SECRET_LENGTH characters, or too few
    different ones to be random."""
    if not value:
        return None
    if len(value) < SECRET_LENGTH or len(set(value)) < SECRET_LENGTH // 2:
        return (
            f"{name} is too weak to guard every workshop: use at least {SECRET_LENGTH} random "
            f"characters. Make one with: {MAKE_A_SECRET}"
        )
    return None


def check_secrets(environ: dict[str, str] | None = None) -> None:
    """Refuse to start (ValueError, saying how to make a strong one) with a weak key or token."""
    for name in SECRETS:
        problem = weak_secret(name, get(name, environ))
        if problem:
            raise ValueError(problem)


def trusted_proxies(environ: dict[str, str] | None = None) -> frozenset[str]:
    """COCREATE_TRUSTED_PROXIES as a set of addresses or networks ("10.0.0.0/8"), each in
    one spelling (normal_address)."""
    return frozenset(
        normal_address(a.strip())
        for a in (get("COCREATE_TRUSTED_PROXIES", environ) or "").split(",")
        if a.strip()
    )


def normal_address(address: str) -> str:
    """One spelling per address: an IPv4 address as a dual-stack server sees it
    ("::ffff:127.0.0.1") as itself, IPv6 compressed; a network likewise; anything else
    ("local") as it is."""
    try:
        if "/" in address:
            network = ipaddress.ip_network(address, strict=False)
            if network.version == 6 and network.network_address.ipv4_mapped:
                mapped = network.network_address.ipv4_mapped
                return str(ipaddress.ip_network(f"{mapped}/{max(0, network.prefixlen - 96)}", strict=False))
            return str(network)
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    return str(parsed.ipv4_mapped or parsed) if parsed.version == 6 else str(parsed)


def _trusted(address: str, trusted: frozenset[str]) -> bool:
    if address in trusted:
        return True
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        "/" in entry
        and parsed.version == ipaddress.ip_network(entry).version
        and parsed in ipaddress.ip_network(entry)
        for entry in trusted
    )


def client_address(peer: str | None, forwarded_for: str | None, trusted: frozenset[str]) -> str:
    """The client's address for counting wrong keys: the connection's `peer` ("local" when
    Streamlit gives none: a browser on this machine); behind a trusted proxy, the last
    address in `forwarded_for` that is not itself a trusted proxy. A client cannot change
    it by reloading, nor by sending its own X-Forwarded-For past a proxy that appends.
    Addresses are compared in one spelling: a proxy on this host reaching a server that
    listens on "::" arrives as "::ffff:127.0.0.1", which is 127.0.0.1 (normal_address)."""
    address = normal_address(peer) if peer else "local"
    if _trusted(address, trusted) or (address == "local" and "127.0.0.1" in trusted):
        for hop in reversed(
            [normal_address(h.strip()) for h in (forwarded_for or "").split(",") if h.strip()]
        ):
            if not _trusted(hop, trusted):
                return hop
    return address


def _count(name: str, environ: dict[str, str] | None) -> int:
    """A setting that is a count (at least 1); an unreadable value falls back to its default."""
    try:
        return max(1, int(get(name, environ) or ""))
    except ValueError:
        return int(_BY_NAME[name].default or 1)


def streams_per_address(environ: dict[str, str] | None = None) -> int:
    return _count("COCREATE_STREAMS_PER_ADDRESS", environ)


def backup_dir(environ: dict[str, str] | None = None) -> Path:
    """Where the running app writes its backups (COCREATE_BACKUP_DIR)."""
    return Path(get("COCREATE_BACKUP_DIR", environ) or PROJECT_ROOT / "data" / "backups")


def backups_kept(environ: dict[str, str] | None = None) -> int:
    return _count("COCREATE_BACKUPS_KEPT", environ)


def joins_per_address(environ: dict[str, str] | None = None) -> int:
    return _count("COCREATE_JOINS_PER_ADDRESS", environ)


def max_streams(environ: dict[str, str] | None = None) -> int:
    return _count("COCREATE_MAX_STREAMS", environ)


def schedule_seconds(environ: dict[str, str] | None = None) -> int:
    return _count("COCREATE_SCHEDULE_SECONDS", environ)


def time_zone(environ: dict[str, str] | None = None) -> str:
    return get("COCREATE_TIME_ZONE", environ) or "UTC"


def database_path(environ: dict[str, str] | None = None) -> Path:
    return Path(get("COCREATE_DB", environ) or "")


def database_location(environ: dict[str, str] | None = None) -> str:
    """COCREATE_DATABASE_URL when set, else the DuckDB file's path."""
    return get("COCREATE_DATABASE_URL", environ) or str(database_path(environ))


def min_team_size(environ: dict[str, str] | None = None) -> int:
    """COCREATE_MIN_TEAM_SIZE as a number (at least 1); an unreadable value falls back to 3."""
    try:
        return max(1, int(get("COCREATE_MIN_TEAM_SIZE", environ) or 3))
    except ValueError:
        return 3
