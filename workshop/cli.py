"""Command line: `python -m workshop demo|summary|report|export|practices|backup|restore|init`."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from workshop import actions, analytics, exports, i18n, review, settings, views
from workshop.backends import is_database_url
from workshop.demo import create_demo, play_self_paced
from workshop.errors import CocreateError
from workshop.model import Phase
from workshop.store import Store, backup_problem

DEMO_CREDENTIALS = "demo-credentials.json"


def _db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=None,
        help="DuckDB file or postgresql:// URL (default: COCREATE_DATABASE_URL, else COCREATE_DB, "
        "else data/cocreate.duckdb)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m workshop", description="Cocreate workshops from the command line."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="create a demo workshop played by simulated participants")
    _db_arg(demo)
    demo.add_argument("--participants", type=int, default=12)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument(
        "--until",
        choices=[p.value for p in Phase],
        default=Phase.CLOSED.value,
        help="the phase to leave the demo in (default: closed)",
    )
    demo.add_argument(
        "--language",
        choices=i18n.LANGUAGES,
        default=i18n.ENGLISH,
        help="the workshop's language and what its people write (default: en)",
    )
    demo.add_argument("--json", action="store_true", help="print code and key as JSON")
    demo.add_argument(
        "--self-paced",
        action="store_true",
        help="a self-paced workshop whose schedule runs through every phase while people come and go "
        "(the command runs until it closes; see --minutes)",
    )
    demo.add_argument(
        "--minutes", type=float, default=5.0, help="how long a --self-paced demo runs to Closed (default: 5)"
    )

    summary = commands.add_parser("summary", help="print a workshop's session summary")
    summary.add_argument("code")
    _db_arg(summary)
    summary.add_argument("--json", action="store_true", help="print JSON (the default is a short text)")

    report = commands.add_parser("report", help="write a session report (.html or .md)")
    report.add_argument("code")
    report.add_argument("--out", type=Path, required=True, help="FILE.html or FILE.md")
    _db_arg(report)

    export = commands.add_parser("export", help="write every table of a session")
    export.add_argument("code")
    export.add_argument("--format", choices=["csv", "parquet", "xlsx"], required=True)
    export.add_argument("--out", type=Path, required=True, help="a folder")
    _db_arg(export)

    practices = commands.add_parser(
        "practices", help="list the practice library: what already works, from every workshop"
    )
    practices.add_argument(
        "--search", default="", help="only practices whose title or description has these words"
    )
    practices.add_argument("--theme", default="", help="only practices of themes whose title contains this")
    _db_arg(practices)
    practices.add_argument("--json", action="store_true", help="print JSON (the default is a short text)")

    backup = commands.add_parser(
        "backup",
        help="copy the database into a new file, consistently, also while the app runs",
    )
    backup.add_argument(
        "--out", type=Path, required=True, help="the new file (DuckDB; with PostgreSQL, pg_dump's format)"
    )
    _db_arg(backup)
    backup.add_argument(
        "--server",
        default=None,
        help="the running app that holds the DuckDB file, asked for the copy with the organisation "
        "key (default: COCREATE_PUBLIC_URL or http://localhost:8501)",
    )

    restore = commands.add_parser(
        "restore", help="replace the database with a backup (the app must be stopped)"
    )
    restore.add_argument("backup_file", type=Path)
    _db_arg(restore)

    init = commands.add_parser(
        "init",
        help="create the database or bring its schema up to date; with --demo (or COCREATE_DEMO=1) "
        "seed the demo workshop the first time and print its links",
    )
    _db_arg(init)
    init.add_argument(
        "--demo", action="store_true", help="seed the demo workshop the first time (COCREATE_DEMO=1 does too)"
    )
    init.add_argument(
        "--show-keys",
        action="store_true",
        help="print the demo's facilitator key and presenter link too (on a terminal of your own: "
        "never where a log keeps them; they are in the demo's credentials file either way)",
    )
    init.add_argument(
        "--url",
        default=None,
        help="address of the app (default: COCREATE_PUBLIC_URL or http://localhost:8501)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db = args.db or settings.database_location()
    if args.command == "restore":
        if is_database_url(db):
            print(
                "A PostgreSQL database is restored with PostgreSQL's own tools (pg_restore or psql).",
                file=sys.stderr,
            )
            return 2
        return _restore(args.backup_file, Path(db))
    try:
        store = Store(db)
    except CocreateError as exc:
        if args.command == "backup" and not is_database_url(db):  # held by the running app
            return _backup_through_app(args)
        print(exc.message, file=sys.stderr)
        return 2
    try:
        commands = {
            "demo": _demo,
            "summary": _summary,
            "init": _init,
            "report": _report,
            "export": _export,
            "backup": _backup,
            "practices": _practices,
        }
        return commands[args.command](store, args)
    except CocreateError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    finally:
        store.close()


def _practices(store: Store, args: argparse.Namespace) -> int:
    _, found = views.library(store, args.search, args.theme, limit=100_000)
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("No practices found." if args.search or args.theme else "No practices shared yet.")
        return 0
    for practice in found:
        source = " · ".join(filter(None, [practice["author"], practice["team"], practice["workshop"]]))
        print(f"#{practice['id']} {practice['title']}  [{practice['theme']}]")
        print(f"    {practice['description']}")
        print(
            f"    {source} · {practice['do_too']} do this too · {practice['want_to_try']} would like to try it"
        )
    return 0


def _demo(store: Store, args: argparse.Namespace) -> int:
    if args.participants < 0:
        print("--participants must be 0 or more.", file=sys.stderr)
        return 2
    if args.self_paced and not 0.1 <= args.minutes <= 24 * 60:
        print("--minutes must be between 0.1 and 1440.", file=sys.stderr)
        return 2
    if args.self_paced:
        say = (lambda line: print(line, file=sys.stderr)) if args.json else print
        result = play_self_paced(
            store,
            participants=args.participants,
            minutes=args.minutes,
            seed=args.seed,
            language=args.language,
            say=say,
        )
    else:
        result = create_demo(
            store,
            participants=args.participants,
            seed=args.seed,
            until=Phase(args.until),
            language=args.language,
        )
    created = result.created
    if args.json:
        print(
            json.dumps(
                {
                    "code": created.workshop.code,
                    "facilitator_key": created.facilitator_key,
                    "presenter_token": created.presenter_token,
                    "participants": len(result.participants),
                }
            )
        )
    else:
        print(f"Demo workshop {created.workshop.code} with {len(result.participants)} participants.")
        print(f"Facilitator key (shown once): {created.facilitator_key}")
    return 0


def _summary(store: Store, args: argparse.Namespace) -> int:
    workshop = actions.find_workshop(store, args.code)
    data = analytics.summary(store, workshop.id)
    follow_ups = store.follow_ups([workshop.id])
    history = store.follow_up_history([f.id for f in follow_ups])
    data["actions"] = [
        {
            "id": f.id,
            "title": f.title,
            "owner": f.owner,
            "due": f.due_date.isoformat() if f.due_date else None,
            "status": f.status.value,
            "note": f.note,
            "outcome": f.outcome,
            "needs": list(f.need_ids),
            "practices": list(f.practice_ids),
            "history": [{"status": status, "at": at.isoformat()} for status, at in history[f.id]],
        }
        for f in follow_ups
    ]
    data["self_paced"] = workshop.self_paced
    data["time_zone"] = workshop.time_zone
    data["schedule_paused"] = workshop.schedule_paused
    data["schedule"] = [
        {"phase": phase.value, "opens_at": at.isoformat() + "Z"} for phase, at in workshop.schedule
    ]
    data["moves"] = [
        {"from": before.value, "to": after.value, "at": at.isoformat() + "Z", "by": by}
        for before, after, at, by in store.phase_moves(workshop.id)
    ]
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{data['title']} ({data['code']}), phase {data['phase']}")
    if workshop.self_paced:
        by_schedule = sum(1 for move in data["moves"] if move["by"] == "schedule")
        print(
            f"Self-paced ({workshop.time_zone}{', paused' if workshop.schedule_paused else ''}): "
            f"{len(data['moves'])} moves, {by_schedule} by the schedule"
        )
    print(
        f"{data['participants']} participants, {data['statements']} statements, "
        f"{data['dots_total']} dots from {data['voters']} voters"
    )
    for need in data["needs"]:
        if not need["hidden"]:
            print(f"{need['dots']:>4} dots {need['backers']:>3} backers  {need['text']}")
    moved = data["dots_moved_after_reveal"]
    if moved["moved"]:
        print(f"{moved['moved']} dot moves after the reveal, {moved['toward_leaders']} toward the leaders")
    return 0


def _report(store: Store, args: argparse.Namespace) -> int:
    suffix = args.out.suffix.lower()
    if suffix not in (".html", ".md"):
        print("--out must end in .html or .md.", file=sys.stderr)
        return 2
    workshop = actions.find_workshop(store, args.code)
    with i18n.using(workshop.language):  # a report speaks the workshop's language
        summary = review.session_summary(store, workshop.id, settings.min_team_size())
        follow_ups = store.follow_ups([workshop.id])
        text = (
            exports.html_report(
                summary, follow_ups, review.action_stories(store, follow_ups, settings.min_team_size())
            )
            if suffix == ".html"
            else exports.markdown_report(summary, follow_ups)
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"Wrote {args.out}")
    return 0


def _export(store: Store, args: argparse.Namespace) -> int:
    workshop = actions.find_workshop(store, args.code)
    for path in exports.export_tables(store, workshop.id, args.format, args.out, settings.min_team_size()):
        print(path)
    return 0


def _backup(store: Store, args: argparse.Namespace) -> int:
    if args.out.exists():
        print(f"{args.out} exists already. Choose a new file name for the backup.", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    store.backup_to(args.out)
    print(f"Backed up {store.location} to {args.out}")
    return 0


def _backup_through_app(args: argparse.Namespace) -> int:
    """The DuckDB file is held by the running app (one process writes it): ask the app for a
    consistent copy (POST /backup, with the organisation key) and move it to --out."""
    if args.out.exists():
        print(f"{args.out} exists already. Choose a new file name for the backup.", file=sys.stderr)
        return 2
    key = settings.get("COCREATE_ADMIN_KEY")
    server = (args.server or settings.get("COCREATE_PUBLIC_URL") or "http://localhost:8501").rstrip("/")
    if not key:
        print(
            "The database is in use by the running app; set COCREATE_ADMIN_KEY (the organisation key) "
            "to ask it for the copy, or stop the app.",
            file=sys.stderr,
        )
        return 2
    request = urllib.request.Request(
        f"{server}/backup", method="POST", headers={"Authorization": f"Bearer {key}"}, data=b""
    )
    try:
        with urllib.request.urlopen(request, timeout=600) as reply:
            made = settings.backup_dir() / Path(json.loads(reply.read())["file"]).name
    except (OSError, ValueError, KeyError) as exc:
        print(f"The running app at {server} did not make the copy: {exc}", file=sys.stderr)
        return 1
    if not made.exists():
        print(
            f"The running app made {made.name} in its COCREATE_BACKUP_DIR, which is not {made.parent} "
            "here: run this with COCREATE_BACKUP_DIR set as the app has it.",
            file=sys.stderr,
        )
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(made, args.out)
    print(f"Backed up the running app's database to {args.out}")
    return 0


def _restore(backup: Path, db: Path) -> int:
    """Put a backup in place of the database; the database it replaces is kept beside it.
    The backup is checked whole before anything is replaced (backup_problem), copied beside
    the database and checked again, and then takes the database's place in one rename: at
    no moment is there no database, or half of one."""
    if not backup.exists():
        print(f"{backup} does not exist. Give a file made by 'python -m workshop backup'.", file=sys.stderr)
        return 2
    if db.exists() and (backup.resolve() == db.resolve() or os.path.samefile(backup, db)):
        # The same file by any name: a symbolic or a hard link to the database in use.
        print(f"{backup} is the database itself. Give a backup file to restore from.", file=sys.stderr)
        return 2
    problem = backup_problem(backup)
    if problem:
        print(
            f"{backup} is not a whole Cocreate backup: {problem}. Nothing was changed. "
            "Give a file made by 'python -m workshop backup'.",
            file=sys.stderr,
        )
        return 2
    db.parent.mkdir(parents=True, exist_ok=True)
    incoming = db.with_name(f"{db.name}.restoring")
    incoming.unlink(missing_ok=True)
    shutil.copyfile(backup, incoming)
    try:
        Store(incoming).close()  # brings an older backup up to the current schema
        problem = backup_problem(incoming)
        if problem:
            raise CocreateError(
                f"The copy of {backup} could not be read back: {problem}. Nothing was changed."
            )
        if db.exists():
            Store(db).close()  # refuses while the app holds the file; writes its log into it
            kept = db.with_name(f"{db.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}")
            shutil.copyfile(db, kept)
            print(f"Kept the replaced database as {kept}")
        os.replace(incoming, db)
    except CocreateError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    finally:
        incoming.unlink(missing_ok=True)
        incoming.with_name(f"{incoming.name}.wal").unlink(missing_ok=True)
    print(f"Restored {backup} to {db}")
    return 0


def _init(store: Store, args: argparse.Namespace) -> int:
    """The database ready (opening the store brought its schema up to date, under the
    migration lock); with --demo or COCREATE_DEMO=1, the demo seeded once (kept in the Vote
    phase, so a newcomer can vote and watch) and its links printed: its keys only with
    --show-keys, else the file that holds them (readable by its owner only)."""
    url = (args.url or settings.get("COCREATE_PUBLIC_URL") or "http://localhost:8501").rstrip("/")
    try:
        settings.check_secrets()
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not (args.demo or settings.get("COCREATE_DEMO") == "1"):
        print(f"The database is ready: {store.location}.")
        return 0
    folder = store.path.parent if store.path else settings.PROJECT_ROOT / "data"
    folder.mkdir(parents=True, exist_ok=True)
    # One file per backend: switching between them must not lose the other's demo keys.
    credentials_path = folder / (
        DEMO_CREDENTIALS if store.kind == "duckdb" else "demo-credentials-postgresql.json"
    )
    credentials: dict[str, Any] | None = (
        json.loads(credentials_path.read_text()) if credentials_path.exists() else None
    )
    if credentials is None or store.workshop_by_code(credentials["code"]) is None:
        created = create_demo(store, participants=12, until=Phase.VOTE).created
        # … and a self-paced one: Share ran over the last three days, Propose opened an hour ago.
        paced = create_demo(store, participants=24, seed=11, until=Phase.PROPOSE, self_paced=True).created
        credentials = {
            "code": created.workshop.code,
            "facilitator_key": created.facilitator_key,
            "presenter_token": created.presenter_token,
            "self_paced": {
                "code": paced.workshop.code,
                "facilitator_key": paced.facilitator_key,
                "presenter_token": paced.presenter_token,
            },
        }
        credentials_path.write_text(json.dumps(credentials, indent=2))
        os.chmod(credentials_path, 0o600)
        print(f"Created a demo workshop in {store.location}.")
    code = credentials["code"]
    print()
    print(f"  Cocreate:           {url}/")
    print(f"  Participant link:   {url}/participate?code={code}   (join code {code})")
    print(f"  Facilitate:         {url}/facilitate?code={code}")
    self_paced = credentials.get("self_paced")
    if self_paced:
        print(
            f"  Self-paced demo:    {url}/participate?code={self_paced['code']}   (its phases open over days)"
        )
    if args.show_keys:
        print(f"  Presenter link:     {url}/present?p={quote(credentials['presenter_token'])}")
        print(f"  Facilitator key:    {credentials['facilitator_key']}")
    print(f"  (the demo's facilitator key and presenter link are in {credentials_path};")
    print("   delete the database to start afresh)")
    print()
    return 0
