"""Backups: `python -m workshop backup` copies the database, `restore` puts a copy back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from workshop.store import Store


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workshop", *args], cwd=ROOT, capture_output=True, text=True)


def test_backup_and_restore_bring_back_the_data(tmp_path: Path):
    db, backup = tmp_path / "live.duckdb", tmp_path / "backups" / "monday.duckdb"
    first = json.loads(cli("demo", "--participants", "5", "--json", "--db", str(db)).stdout)["code"]
    done = cli("backup", "--out", str(backup), "--db", str(db))
    assert done.returncode == 0, done.stderr
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
    assert done.returncode == 2 and "is not a Cocreate backup" in done.stderr
    assert Store(db).schema_version() >= 1


def test_restore_refuses_while_the_database_is_in_use(tmp_path: Path):
    db, backup = tmp_path / "live.duckdb", tmp_path / "b.duckdb"
    Store(db).close()
    assert cli("backup", "--out", str(backup), "--db", str(db)).returncode == 0
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
