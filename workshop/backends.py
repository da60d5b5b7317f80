"""Where Cocreate's rows live: a DuckDB file (the default) or PostgreSQL.

The store writes through a backend and reads small things (a participant by token, a
workshop row, one person's own dots) from it. Aggregates (lists with counts, charts,
summaries, exports) always run in DuckDB: on the file itself, or, with PostgreSQL, on an
in-memory DuckDB mirror that reloads a workshop's rows as Arrow once per data version.

Each backend also keeps the workshops' data versions (see `Versions`): in the process for a
DuckDB file, which only one process can open; in a PostgreSQL table when several processes
serve the same workshop.
"""

from __future__ import annotations

import functools
import glob
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple, Protocol
from urllib.parse import urlsplit, urlunsplit

import duckdb

from workshop.errors import CocreateError, StoreUnavailable

# DuckDB runs each statement on one thread: a workshop's tables are small, a statement's
# start-up on several threads costs more than it saves, and the process's Python work
# holds one core anyway.
DUCKDB_CONFIG: dict[str, str | bool | int | float | list[str]] = {"threads": 1}

# Tables holding one workshop's rows, with the column that names the workshop.
WORKSHOP_TABLES = {
    "workshops": "id",
    "themes": "workshop_id",
    "teams": "workshop_id",
    "participants": "workshop_id",
    "statements": "workshop_id",
    "reactions": "workshop_id",
    "needs": "workshop_id",
    "backings": "workshop_id",
    "dots": "workshop_id",
    "ratings": "workshop_id",
    "phase_changes": "workshop_id",
    "phase_schedule": "workshop_id",
    "announcements": "workshop_id",
    "practice_stories": "workshop_id",
    "events": "workshop_id",
    "sessions": "workshop_id",
    "practices": "workshop_id",
    "practice_reactions": "workshop_id",
    "need_practices": "workshop_id",
    "featured_practices": "workshop_id",
    "need_statements": "workshop_id",
    "checkins": "workshop_id",
    "session_workshops": "workshop_id",
}
# Tables shared by all workshops (follow-ups may answer needs of several).
GLOBAL_TABLES = ("follow_ups", "follow_up_needs", "follow_up_practices", "follow_up_history")
GLOBAL = 0  # the data version of GLOBAL_TABLES is kept under this workshop id


def is_database_url(location: str | Path) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


def redacted(url: str) -> str:
    """A database URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class Version(NamedTuple):
    """Where a workshop's data stands; every number only grows."""

    data: int  # every committed write
    removal: int  # the data version of the last write that took something away or changed settings
    settings: int  # writes to the workshop row itself (phase, reveal, timer, texts)

    def merged(self, other: Version) -> Version:
        return Version(*(max(a, b) for a, b in zip(self, other, strict=True)))


NO_VERSION = Version(0, 0, 0)


class Versions(Protocol):
    def current(self, workshop_id: int) -> Version:
        """Where the workshop's data stands now."""

    def seen(self, workshop_id: int) -> Version:
        """Where the workshop's data stood when this process last looked (never reads the database)."""

    def bump(self, workshop_id: int, *, removes: bool, settings: bool, takes: bool, by: int | None) -> int:
        """Count one committed write (`by` the participant whose own state it changed;
        `takes`: it took something away, which people's own states may hold); returns the
        new data version."""

    def viewer(self, workshop_id: int, participant_id: int) -> tuple[int, ...]:
        """A version that moves whenever what this participant did may have changed."""

    def people(self, workshop_id: int, *, seen: bool = False) -> int:
        """A version that moves whenever a participant may have been removed (`seen`: as this
        process last looked, without reading the database)."""


class LocalVersions:
    """Versions counted in this process: right when only this process writes (a DuckDB
    file). A person's viewer version is their own writes and the workshop's writes that
    took something away (a merge, a hide, a withdrawal, a person removed): others' dots
    and reactions, and the facilitator's moves of the room, leave it alone."""

    def __init__(self) -> None:
        self._values: dict[int, Version] = {}
        self._own: dict[tuple[int, int], int] = {}  # (workshop, participant) -> their writes
        self._taken: dict[int, int] = {}  # workshop -> the data version of its last write that took away
        self._lock = threading.Lock()

    def current(self, workshop_id: int) -> Version:
        return self._values.get(workshop_id, NO_VERSION)

    seen = current

    def bump(self, workshop_id: int, *, removes: bool, settings: bool, takes: bool, by: int | None) -> int:
        with self._lock:
            old = self._values.get(workshop_id, NO_VERSION)
            data = old.data + 1
            self._values[workshop_id] = Version(
                data, data if removes else old.removal, old.settings + settings
            )
            if takes:
                self._taken[workshop_id] = data
            if by is not None:
                self._own[(workshop_id, by)] = self._own.get((workshop_id, by), 0) + 1
            return data

    def viewer(self, workshop_id: int, participant_id: int) -> tuple[int, ...]:
        return self._own.get((workshop_id, participant_id), 0), self._taken.get(workshop_id, 0)

    def people(self, workshop_id: int, *, seen: bool = False) -> int:
        """The workshop's writes that took something away: a participant's removal is one, a
        move of the room is not."""
        return self._taken.get(workshop_id, 0)


class DuckFile:
    """One DuckDB file, opened by this process alone; writes and aggregates on one connection."""

    kind = "duckdb"
    # Only this process writes: what the store keeps in memory goes stale only by its own
    # writes, which move the versions (see workshop/memory.py).
    sole_writer = True
    begin = "BEGIN TRANSACTION"
    retryable: tuple[type[Exception], ...] = (duckdb.TransactionException, duckdb.ConstraintException)
    error: type[Exception] = duckdb.Error

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(path), config=DUCKDB_CONFIG)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreUnavailable(
                    f"The database {path} is in use by another Cocreate process. "
                    "Stop that process, or set COCREATE_DB to another file."
                ) from exc
            raise StoreUnavailable(
                f"The file {path} could not be opened as a database ({exc}). "
                "Set COCREATE_DB to a Cocreate database or to a new file name."
            ) from exc
        except duckdb.Error as exc:
            raise StoreUnavailable(
                f"The file {path} is not a DuckDB database ({exc}). "
                "Set COCREATE_DB to a Cocreate database or to a new file name."
            ) from exc
        self.versions: Versions = LocalVersions()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._con.cursor()

    def analytics(self, workshop_ids: Iterable[int] | None = None) -> duckdb.DuckDBPyConnection:
        """A DuckDB cursor over every table (the file itself holds them all)."""
        return self._con.cursor()

    def table_names(self) -> set[str]:
        with self._con.cursor() as cur:
            return {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}

    def foreign_message(self) -> str:
        return (
            f"The file {self.path} holds tables that are not Cocreate's. "
            "Set COCREATE_DB to a Cocreate database or to a new file name."
        )

    @contextmanager
    def migration_lock(self) -> Iterator[None]:
        yield  # the file lock already keeps every other process out

    def backup_to(self, target: Path) -> None:
        """Copy the whole database into a new DuckDB file at `target` (one consistent snapshot)."""
        with self._con.cursor() as cur:
            (source,) = cur.execute("SELECT current_database()").fetchall()[0]
            cur.execute(f"ATTACH '{sql_path(target)}' AS cocreate_backup")
            try:
                cur.execute(f'COPY FROM DATABASE "{source}" TO cocreate_backup')
            finally:
                cur.execute("DETACH cocreate_backup")

    def close(self) -> None:
        self._con.close()


def sql_path(path: Path) -> str:
    """A file path as a SQL string literal's content."""
    return str(path.resolve()).replace("'", "''")


@functools.lru_cache(maxsize=2048)
def _pg_sql(sql: str) -> str:
    """Store SQL (`?` and `$name` parameters) in psycopg's spelling (`%s`, `%(name)s`)."""
    return re.sub(r"\$([a-z_]+)", r"%(\1)s", sql.replace("%", "%%")).replace("?", "%s")


class PgCursor:
    """A psycopg cursor that takes the store's SQL as DuckDB spells it (for portable SQL)."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    def execute(self, sql: str, params: Any = None) -> PgCursor:
        if params is None:
            self._cur.execute(sql)  # schema scripts: several statements, no parameters
        else:
            self._cur.execute(_pg_sql(sql), params)
        return self

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._cur.fetchone()

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._cur.fetchall()


class Postgres:
    """A PostgreSQL database shared by several Cocreate processes.

    Writes run in REPEATABLE READ transactions, PostgreSQL's snapshot isolation, as they do
    in DuckDB: two writes touching the same row conflict and the store retries one.
    """

    kind = "postgresql"
    begin = "BEGIN ISOLATION LEVEL REPEATABLE READ"
    sole_writer = False  # other processes write too: what may change under them is read each time
    POOL_SIZE = 8

    def __init__(self, url: str) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool, PoolTimeout

        self.path = None
        self.url = url
        self.location = redacted(url)
        self.retryable = (
            psycopg.errors.SerializationFailure,
            psycopg.errors.DeadlockDetected,
            psycopg.errors.UniqueViolation,
        )
        self.error = psycopg.Error
        self._lost = (psycopg.OperationalError, PoolTimeout)
        try:
            # `check`: a connection the server dropped (a restart, a failover) is replaced
            # before use instead of failing somebody's click.
            self._pool = ConnectionPool(
                url,
                min_size=1,
                max_size=self.POOL_SIZE,
                kwargs={"autocommit": True, "application_name": "cocreate"},
                timeout=30,
                open=False,
                check=ConnectionPool.check_connection,
            )
            self._pool.open(wait=True, timeout=5)
        except (psycopg.Error, PoolTimeout) as exc:
            raise StoreUnavailable(
                f"The PostgreSQL database {self.location} could not be reached ({exc}). "
                "Check COCREATE_DATABASE_URL and that the server is running."
            ) from exc
        self.versions: Versions = SharedVersions(self)
        self.mirror = Mirror(self)

    @contextmanager
    def cursor(self) -> Iterator[PgCursor]:
        try:
            with self._pool.connection() as conn, conn.cursor() as cur:
                yield PgCursor(cur)
        except self._lost as exc:
            if isinstance(exc, self.retryable):  # a conflict (also an OperationalError): retried
                raise
            raise StoreUnavailable(
                "Cocreate cannot reach its database at the moment. If you just changed something, "
                "check whether it shows, and try again in a moment."
            ) from exc

    @contextmanager
    def analytics(self, workshop_ids: Iterable[int] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the DuckDB mirror holding the current rows of `workshop_ids` (None: all)."""
        with self.mirror.cursor(workshop_ids) as cur:
            yield cur

    def table_names(self) -> set[str]:
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()", []
            ).fetchall()
        return {r[0] for r in rows}

    def foreign_message(self) -> str:
        return (
            f"The PostgreSQL database {self.location} holds tables that are not Cocreate's. "
            "Point COCREATE_DATABASE_URL at an empty database (or schema) or at Cocreate's."
        )

    @contextmanager
    def migration_lock(self) -> Iterator[None]:
        """Processes starting together migrate one after the other."""
        with self._pool.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(7240201)")
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(7240201)")

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the database while the app runs: `pg_dump` in its custom
        format (restore with pg_restore); CocreateError when pg_dump is not installed or fails."""
        installed = sorted(
            glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), key=lambda p: int(Path(p).parts[-3])
        )
        found = shutil.which("pg_dump") or (installed[-1] if installed else None)
        if found is None:
            raise CocreateError("pg_dump is not installed (apt-get install postgresql-client-15).")
        done = subprocess.run(
            [found, "--format=custom", "--no-owner", f"--file={target}", self.url],
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if done.returncode != 0:
            target.unlink(missing_ok=True)
            raise CocreateError(f"pg_dump could not copy the database: {done.stderr.strip()[-300:]}")

    def close(self) -> None:
        self.mirror.close()
        self._pool.close()


class SharedVersions:
    """Versions kept in PostgreSQL's `data_versions` table, so every process sees every write.

    A write counts itself right after it commits, in its own short statement (so counting
    never makes two writes conflict). Readers look the numbers up at most every `TTL`
    seconds per workshop; this process's own writes are known at once.
    """

    TTL = 0.25

    def __init__(self, db: Postgres) -> None:
        self._db = db
        self._seen: dict[int, tuple[float, Version]] = {}
        self._lock = threading.Lock()

    def _remember(self, workshop_id: int, value: Version) -> Version:
        with self._lock:
            merged = self._seen.get(workshop_id, (0.0, NO_VERSION))[1].merged(value)
            self._seen[workshop_id] = (time.monotonic(), merged)
            return merged

    def seen(self, workshop_id: int) -> Version:
        return self._seen.get(workshop_id, (0.0, NO_VERSION))[1]

    def current(self, workshop_id: int) -> Version:
        seen = self._seen.get(workshop_id)
        if seen is not None and time.monotonic() - seen[0] < self.TTL:
            return seen[1]
        with self._db.cursor() as cur:
            row = cur.execute(
                "SELECT version, removal_version, settings_version FROM data_versions WHERE workshop_id = ?",
                [workshop_id],
            ).fetchone()
        return self._remember(workshop_id, Version(*row) if row else NO_VERSION)

    def viewer(self, workshop_id: int, participant_id: int) -> tuple[int, ...]:
        """The workshop's data version: another process may write for the same person (a
        second device)."""
        return (self.current(workshop_id).data,)

    def people(self, workshop_id: int, *, seen: bool = False) -> int:
        """The workshop's settings version (a participant's removal moves it)."""
        return (self.seen if seen else self.current)(workshop_id).settings

    def bump(self, workshop_id: int, *, removes: bool, settings: bool, takes: bool, by: int | None) -> int:
        with self._db.cursor() as cur:
            row = cur.execute(
                """
                INSERT INTO data_versions AS d VALUES (?, 1, CASE WHEN ? THEN 1 ELSE 0 END, CASE WHEN ? THEN 1 ELSE 0 END)
                ON CONFLICT (workshop_id) DO UPDATE SET
                    version = d.version + 1,
                    removal_version = CASE WHEN ? THEN d.version + 1 ELSE d.removal_version END,
                    settings_version = d.settings_version + CASE WHEN ? THEN 1 ELSE 0 END
                RETURNING version, removal_version, settings_version
                """,
                [workshop_id, removes, settings, removes, settings],
            ).fetchone()
        return self._remember(workshop_id, Version(*row)).data  # type: ignore[misc]  # a row's length is not typed


class Mirror:
    """An in-memory DuckDB holding workshops' rows copied from PostgreSQL.

    A workshop is copied again, whole, when its data version moved on since the last copy:
    every table read in one REPEATABLE READ snapshot through the ADBC driver (Arrow, no
    per-row Python), swapped in one DuckDB transaction, so a reader never sees half a copy.
    """

    def __init__(self, db: Postgres) -> None:
        self._db = db
        self._duck = duckdb.connect(config=DUCKDB_CONFIG)
        self._loaded: dict[int, int] = {}
        self._lock = threading.Lock()
        self._adbc: Any = None

    def _source(self) -> Any:
        if self._adbc is None:
            import adbc_driver_postgresql.dbapi

            self._adbc = adbc_driver_postgresql.dbapi.connect(self._db.url, autocommit=True)
        return self._adbc

    def _all_workshops(self) -> list[int]:
        with self._db.cursor() as cur:
            return [r[0] for r in cur.execute("SELECT id FROM workshops", []).fetchall()]

    def _stale(self, ids: list[int]) -> list[int]:
        stale = [w for w in ids if self._loaded.get(w, -1) < self._db.versions.current(w).data]
        if self._loaded.get(GLOBAL, -1) < self._db.versions.current(GLOBAL).data:
            stale.append(GLOBAL)
        return stale

    @contextmanager
    def cursor(self, workshop_ids: Iterable[int] | None) -> Iterator[duckdb.DuckDBPyConnection]:
        ids = self._all_workshops() if workshop_ids is None else sorted({int(w) for w in workshop_ids})
        if self._stale(ids):
            with self._lock:
                stale = self._stale(ids)
                if stale:
                    self._load(stale)
        with self._duck.cursor() as cur:
            yield cur

    def _load(self, ids: list[int]) -> None:
        try:
            fetched, versions = self._fetch(ids)
        except Exception:
            if self._adbc is not None:  # a broken connection is opened afresh next time
                self._adbc.close()
                self._adbc = None
            raise
        with self._duck.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                for (table, where), rows in fetched.items():
                    cur.register("incoming", rows)
                    cur.execute(f"CREATE TABLE IF NOT EXISTS {table} AS SELECT * FROM incoming WITH NO DATA")
                    cur.execute(f"DELETE FROM {table} {where}")
                    cur.execute(f"INSERT INTO {table} SELECT * FROM incoming")
                    cur.unregister("incoming")
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
        self._loaded.update(versions)

    def _fetch(self, ids: list[int]) -> tuple[dict[tuple[str, str], Any], dict[int, int]]:
        """Every row of the workshops `ids` (and the shared tables for GLOBAL), in one snapshot."""
        cur = self._source().cursor()
        try:
            cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                listed = ", ".join(str(int(w)) for w in ids)
                cur.execute(f"SELECT workshop_id, version FROM data_versions WHERE workshop_id IN ({listed})")
                known = dict(cur.fetchall())
                fetched = {}
                # Always all tables (none chosen: empty ones), so the mirror has every table.
                chosen = ", ".join(str(int(w)) for w in ids if w != GLOBAL) or "NULL"
                for table, column in WORKSHOP_TABLES.items():
                    cur.execute(f"SELECT * FROM {table} WHERE {column} IN ({chosen})")
                    fetched[(table, f"WHERE {column} IN ({chosen})")] = cur.fetch_arrow_table()
                if GLOBAL in ids:
                    for table in GLOBAL_TABLES:
                        cur.execute(f"SELECT * FROM {table}")
                        fetched[(table, "")] = cur.fetch_arrow_table()
            finally:
                cur.execute("COMMIT")
        finally:
            cur.close()
        return fetched, {w: known.get(w, 0) for w in ids}

    def close(self) -> None:
        if self._adbc is not None:
            self._adbc.close()
        self._duck.close()


def open_backend(location: str | Path) -> DuckFile | Postgres:
    """A PostgreSQL backend for a postgresql:// URL, else the DuckDB file at that path."""
    if is_database_url(location):
        return Postgres(str(location))
    return DuckFile(Path(location))
