"""Backups: `python -m workshop backup` copies the database, `restore` puts a copy back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ROOT, Ran, run_cli
from workshop.store import Store, backup_problem


def cli(*args: str) -> Ran:
    return run_cli(*args)


def test_backup_and_restore_bring_back_the_data(tmp_path: Path):
    db, backup = tmp_path / "live.duckdb", tmp_path / "backups" / "monday.duckdb"
    first = json.loads(cli("demo", "--participants", "5", "--json", "--db", str(db)).stdout)["code"]
    done = cli("backup", "--out", str(backup), "--db", str(db))
    assert done.returncode == 0, done.stderr
    # One self-contained file, and the database file alone is whole too: nothing left in a log.
    assert list(backup.parent.iterdir()) == [backup]
    assert not db.with_suffix(".duckdb.wal").exists()
    second = json.loads(cli("demo", "--participants", "3", "--json", "--db", str(db)).stdout)["code"]

    done = cli("restore", str(backup), "--db", str(db))
    assert done.returncode == 0, done.stderr
    store = Store(db)
    assert store.workshop_by_code(first) is not None and store.workshop_by_code(second) is None
    store.close()
    kept = list(tmp_path.glob("live.duckdb.before-restore-*"))
    assert len(kept) == 1 and Store(kept[0]).workshop_by_code(second) is not None


def test_backup_refuses_to_overwrite_and_restore_refuses_a_foreign_file(tmp_path: Path):
    db = tmp_path / "live.duckdb"
    Store(db).close()
    existing = tmp_path / "exists.duckdb"
    existing.write_text("keep me")
    done = cli("backup", "--out", str(existing), "--db", str(db))
    assert done.returncode == 2 and "exists already" in done.stderr and existing.read_text() == "keep me"
    done = cli("restore", str(existing), "--db", str(db))
    assert done.returncode == 2 and "is not a whole Cocreate backup: it is not a DuckDB file" in done.stderr
    assert Store(db).schema_version() >= 1


def test_restore_refuses_while_the_database_is_in_use(tmp_path: Path):
    db, backup = tmp_path / "live.duckdb", tmp_path / "b.duckdb"
    Store(db).close()
    assert cli("backup", "--out", str(backup), "--db", str(db)).returncode == 0
    # Another process holds the file open until the test kills it (its sleep waits for nothing).
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        done = cli("restore", str(backup), "--db", str(db))
        assert done.returncode == 2 and "in use by another Cocreate process" in done.stderr
        assert not list(tmp_path.glob("*.before-restore-*"))
    finally:
        holder.kill()
        holder.wait()


def test_restore_checks_a_backup_whole_before_it_replaces_anything(tmp_path: Path):
    """The live file as its own source, another program's DuckDB file with Cocreate's table
    names, and a backup with damaged blocks are each refused, and the database is as it was."""
    import duckdb

    db = tmp_path / "live.duckdb"
    code = json.loads(cli("demo", "--participants", "3", "--json", "--db", str(db)).stdout)["code"]

    def unchanged() -> None:
        store = Store(db)
        assert store.workshop_by_code(code) is not None
        store.close()
        assert not list(tmp_path.glob("*.restoring*"))

    done = cli("restore", str(db), "--db", str(db))
    assert done.returncode == 2 and "is the database itself" in done.stderr
    linked = tmp_path / "linked.duckdb"
    os.link(db, linked)  # the live file under another name
    done = cli("restore", str(linked), "--db", str(db))
    assert done.returncode == 2 and "is the database itself" in done.stderr
    linked.unlink()
    unchanged()

    # A crafted file with the four checked tables and their columns, and nothing else.
    crafted = tmp_path / "crafted.duckdb"
    with duckdb.connect(str(crafted)) as con:
        con.execute("CREATE TABLE schema_version (version INTEGER)")
        con.execute("INSERT INTO schema_version VALUES (1)")
        con.execute(
            "CREATE TABLE workshops (code VARCHAR, phase VARCHAR, facilitator_key_hash VARCHAR, "
            "presenter_token_hash VARCHAR)"
        )
        con.execute("CREATE TABLE needs (id INTEGER)")
        con.execute("CREATE TABLE dots (id INTEGER)")
    done = cli("restore", str(crafted), "--db", str(db))
    assert done.returncode == 2 and "it lacks what its schema version (1) has: " in done.stderr, done.stderr
    unchanged()

    foreign = tmp_path / "foreign.duckdb"
    with duckdb.connect(str(foreign)) as con:
        for table in ("schema_version", "workshops", "needs", "dots"):
            con.execute(f"CREATE TABLE {table} (version INTEGER)")
        con.execute("INSERT INTO schema_version VALUES (1)")
    done = cli("restore", str(foreign), "--db", str(db))
    assert done.returncode == 2 and "not Cocreate's (another program's file" in done.stderr
    unchanged()

    backup = tmp_path / "whole.duckdb"
    assert cli("backup", "--out", str(backup), "--db", str(db)).returncode == 0
    damaged = tmp_path / "damaged.duckdb"
    data = bytearray(backup.read_bytes())
    for at in range(3 * 4096 + 512, len(data), 4096):  # scribble over every block after the headers
        data[at : at + 64] = b"\xff" * 64
    damaged.write_bytes(bytes(data))
    done = cli("restore", str(damaged), "--db", str(db))
    assert done.returncode == 2 and "is not a whole Cocreate backup" in done.stderr, done.stderr
    unchanged()

    done = cli("restore", str(backup), "--db", str(db))  # the whole one goes in
    assert done.returncode == 0, done.stderr
    unchanged()


@pytest.mark.server
def test_backup_while_the_app_runs_asks_the_app_for_a_consistent_copy(tmp_path: Path):
    """The running app holds the DuckDB file; `backup` asks it (POST /backup, organisation key)."""
    import os

    from deploy.server import AppServer
    from workshop import actions
    from workshop.templates import template

    db, out = tmp_path / "running.duckdb", tmp_path / "copies" / "tonight.duckdb"
    store = Store(db)
    code = actions.create_workshop(store, template("customer-growth").draft).workshop.code
    store.close()
    key = "running-backup-organisation-key-Wq3"
    env = {
        "COCREATE_ADMIN_KEY": key,
        "COCREATE_BACKUP_DIR": str(tmp_path / "server-backups"),
        "COCREATE_BACKUPS_KEPT": "2",
    }
    server = AppServer(db, env=env, log=tmp_path / "server.log")
    server.start()
    try:

        def run(*extra: str, **env_: str) -> subprocess.CompletedProcess:
            command = [sys.executable, "-m", "workshop", "backup", "--out", str(out), "--db", str(db), *extra]
            return subprocess.run(
                command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env_}
            )

        refused = run("--server", server.url, COCREATE_ADMIN_KEY="not-the-key")
        assert refused.returncode == 1 and "401" in refused.stderr and not out.exists()
        elsewhere = run(
            "--server", server.url, COCREATE_ADMIN_KEY=key, COCREATE_BACKUP_DIR=str(tmp_path / "x")
        )
        assert (
            elsewhere.returncode == 1
            and "run this with COCREATE_BACKUP_DIR set as the app has it" in elsewhere.stderr
        )
        done = run(
            "--server", server.url, COCREATE_ADMIN_KEY=key, COCREATE_BACKUP_DIR=env["COCREATE_BACKUP_DIR"]
        )
        assert done.returncode == 0, done.stderr + (tmp_path / "server.log").read_text()
        # Eight asked at once: one is made at a time, the others told to ask again; every file
        # in the folder is a whole backup, named in the answer without the server's folders.
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: _answer(f"{server.url}/backup", key), range(8)))
        assert {status for status, _ in answers} <= {200, 429} and 200 in {status for status, _ in answers}
        made = [body["file"] for status, body in answers if status == 200]
        assert all("/" not in name and name.endswith(".duckdb") for name in made), made
        folder = tmp_path / "server-backups"
        for _ in range(3):  # one after another: every answer of the batch above has come
            assert _answer(f"{server.url}/backup", key)[0] == 200
        files = sorted(folder.iterdir())
        assert len(files) == 2, files  # COCREATE_BACKUPS_KEPT
        assert all(backup_problem(f) is None for f in files)
        # Guessing the organisation key through the routes is slowed down as on Review.
        answers = [
            _status(f"{server.url}{route}", "guess-the-organisation-key", method)
            for route, method in [("/metrics", "GET"), ("/backup", "POST"), ("/metrics", "GET")]
        ]
        assert answers == [401, 401, 401]
        assert _status(f"{server.url}/backup", key, "POST") == 429
    finally:
        server.stop()
    assert backup_problem(out) is None
    copy = Store(out)
    assert copy.workshop_by_code(code) is not None
    copy.close()


@pytest.mark.server
@pytest.mark.postgresql
def test_a_postgresql_backup_is_pg_dump_while_the_app_runs(tmp_path: Path):
    """With PostgreSQL, `backup` writes pg_dump's consistent copy (the app may keep running)."""
    from tests.conftest import pg_schema
    from workshop import actions
    from workshop.templates import template

    with pg_schema() as url:
        store = Store(url)
        actions.create_workshop(store, template("customer-growth").draft)
        out = tmp_path / "pg.dump"
        store.backup_to(out)
        store.close()
    assert out.stat().st_size > 0
    assert out.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format, for pg_restore


def _status(url: str, key: str, method: str) -> int:
    """The status a real server answers to `key` sent as the bearer token."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, method=method, headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status
    except urllib.error.HTTPError as refused:
        return refused.code


def _answer(url: str, key: str) -> tuple[int, dict]:
    """A real server's status and JSON answer to a POST with `key` as the bearer token."""
    import json
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, method="POST", headers={"Authorization": f"Bearer {key}"}, data=b"")
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"{}")
