"""The workspace store: one SQLite file (schema versioned, WAL) holding what every file said
and the file's original bytes, recorded together, all or nothing."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ihanoi_report.errors import NothingToReport, StoreError
from ihanoi_report.messages import t
from ihanoi_report.model import Closure, Counts, DateSource, Finding, Lineage, Report, Row, Severity, Status, Verdict

# Ordered, append-only: migration N brings the schema from user_version N-1 to N.
# The count columns of the rows and subtotals tables before figures were kept by column (the iHaNoi form's).
_FIXED_COLUMNS = ("staff_total", "staff_installed", "residents", "smartphones", "residents_installed")


def _carried_over(table: str, into: str, line: str) -> str:
    """SQL carrying one table's fixed count columns over into its figures by column, then dropping them."""
    figures = " UNION ALL ".join(f"SELECT submission_id, {line}, '{key}' AS column_key, {key} AS value FROM {table}"
                                 for key in _FIXED_COLUMNS)
    drops = "".join(f"ALTER TABLE {table} DROP COLUMN {key};\n" for key in _FIXED_COLUMNS)
    return f"INSERT INTO {into} SELECT * FROM ({figures}) WHERE value IS NOT NULL;\n{drops}"


Statements = dict[str, list[tuple[Any, ...]]]  # rows to write, by the statement that writes them

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE submissions (
        id            INTEGER PRIMARY KEY,
        sha256        TEXT NOT NULL UNIQUE,
        size          INTEGER NOT NULL,
        source_path   TEXT NOT NULL,
        archive_path  TEXT NOT NULL,
        received_at   TEXT NOT NULL,
        report_date   TEXT,
        unit_code     TEXT,
        round         INTEGER,
        status        TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'superseded')),
        verdict       TEXT NOT NULL,
        identified_by TEXT NOT NULL DEFAULT '',
        sheet         TEXT NOT NULL DEFAULT '',
        preparer      TEXT NOT NULL DEFAULT '',
        phone         TEXT NOT NULL DEFAULT '',
        superseded_by INTEGER REFERENCES submissions (id)
    );
    CREATE INDEX submissions_unit_round ON submissions (unit_code, round, status);
    CREATE TABLE rows (
        submission_id       INTEGER NOT NULL REFERENCES submissions (id),
        unit_code           TEXT NOT NULL,
        sheet_row           INTEGER NOT NULL,
        staff_total         INTEGER,
        staff_installed     INTEGER,
        residents           INTEGER,
        smartphones         INTEGER,
        residents_installed INTEGER,
        PRIMARY KEY (submission_id, unit_code)
    );
    CREATE TABLE findings (
        id            INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions (id),
        code          TEXT NOT NULL,
        severity      TEXT NOT NULL,
        sheet         TEXT NOT NULL,
        cell          TEXT NOT NULL,
        unit_code     TEXT NOT NULL,
        round         INTEGER,
        value         TEXT NOT NULL,
        args          TEXT NOT NULL
    );
    CREATE INDEX findings_submission ON findings (submission_id);
    """,
    # The original bytes move into the store, recorded with what they said, all or nothing:
    # one small write instead of a new file per form. Version 1 kept them under archive/; the
    # archive_path of those rows still points there, new rows leave it empty.
    """
    CREATE TABLE files (
        submission_id INTEGER PRIMARY KEY REFERENCES submissions (id),
        suffix        TEXT NOT NULL,
        content       BLOB NOT NULL
    );
    """,
    # Which report counts is decided by dates, so they are kept apart: report_date is now only a date
    # typed on the form; received_on is the day stated by the officer (date_source 'stated') or the
    # file's modification day ('file'); file_modified orders two reports received the same day.
    # Older rows keep their report_date and an empty date_source.
    """
    ALTER TABLE submissions ADD COLUMN received_on TEXT;
    ALTER TABLE submissions ADD COLUMN date_source TEXT NOT NULL DEFAULT '';
    ALTER TABLE submissions ADD COLUMN file_modified TEXT;
    """,
    # A lower level's consolidated workbook (a district's, at the city) brings its group subtotals: kept
    # beside its figures, so the level above can show each sender's groups.
    """
    CREATE TABLE subtotals (
        submission_id       INTEGER NOT NULL REFERENCES submissions (id),
        sheet_row           INTEGER NOT NULL,
        label               TEXT NOT NULL,
        staff_total         INTEGER,
        staff_installed     INTEGER,
        residents           INTEGER,
        smartphones         INTEGER,
        residents_installed INTEGER,
        PRIMARY KEY (submission_id, sheet_row)
    );
    CREATE INDEX rows_unit ON rows (unit_code);
    """,
    # Closing a round (chốt số liệu) once its report is sent: the reports in use then are kept as the round's,
    # so a file that comes later is stored but changes none of the round's outputs until it is reopened.
    """
    CREATE TABLE closures (
        id          INTEGER PRIMARY KEY,
        round       INTEGER NOT NULL,
        closed_at   TEXT NOT NULL,
        through_id  INTEGER NOT NULL,
        digest      TEXT NOT NULL,
        reopened_at TEXT
    );
    CREATE TABLE closure_reports (
        closure_id    INTEGER NOT NULL REFERENCES closures (id),
        submission_id INTEGER NOT NULL REFERENCES submissions (id),
        PRIMARY KEY (closure_id, submission_id)
    );
    """,
    # Figures by column, (report, unit, column, value): a campaign's form declares its own columns. The stores
    # of the releases before it held the iHaNoi form's five columns in the rows: they are carried over figure for
    # figure, and the columns they were made with are kept as the store's form.
    """
    CREATE TABLE figures (
        submission_id INTEGER NOT NULL REFERENCES submissions (id),
        unit_code     TEXT NOT NULL,
        column_key    TEXT NOT NULL,
        value         INTEGER NOT NULL,
        PRIMARY KEY (submission_id, unit_code, column_key)
    ) WITHOUT ROWID;
    CREATE TABLE subtotal_figures (
        submission_id INTEGER NOT NULL REFERENCES submissions (id),
        sheet_row     INTEGER NOT NULL,
        column_key    TEXT NOT NULL,
        value         INTEGER NOT NULL,
        PRIMARY KEY (submission_id, sheet_row, column_key)
    ) WITHOUT ROWID;
    CREATE TABLE form_columns (
        position INTEGER PRIMARY KEY,
        key      TEXT NOT NULL UNIQUE
    );
    """
    + _carried_over("rows", "figures", "unit_code")
    + _carried_over("subtotals", "subtotal_figures", "sheet_row")
    + "INSERT INTO form_columns SELECT * FROM ("
    + " UNION ALL ".join(f"SELECT {i} AS position, '{key}' AS key" for i, key in enumerate(_FIXED_COLUMNS, start=1))
    + ") WHERE EXISTS (SELECT 1 FROM submissions);\n",
)
SCHEMA_VERSION = len(MIGRATIONS)
SETUP_SECONDS = 60.0
# Group commit: each file is recorded whole or not at all (a savepoint), and the files of the
# last quarter second are committed together. A crash can lose that quarter second of work,
# which the next run redoes; it never leaves half a file.
COMMIT_SECONDS = 0.25
# The queue of files not yet written holds their originals; past this many bytes it is written (not committed)
# so that a fast run's memory does not grow with the files of a quarter second (~400 on the bench, 3-4 MB).
QUEUE_BYTES = 1 << 20


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _rows_with_figures(found: Iterable[tuple[Any, ...]]) -> dict[Any, list[Row]]:
    """(group, unit or label, sheet row, column, value) lines, ordered by group and row, as Rows by group; a row
    with no figure comes once, with a column and value of None."""
    grouped: dict[Any, list[Row]] = {}
    for group, unit, sheet_row, column, value in found:
        rows = grouped.setdefault(group, [])
        if not rows or rows[-1].sheet_row != sheet_row or rows[-1].unit != unit:
            rows.append(Row(unit, sheet_row, {}))
        if column is not None:
            rows[-1].counts[column] = value
    return grouped


def _apply_migrations(db: sqlite3.Connection, version: int) -> None:
    """Bring ``db`` from ``version`` to SCHEMA_VERSION, one migration a transaction."""
    for number in range(version, SCHEMA_VERSION):
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] == number:  # another process may have
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def _upgraded_copy(db: sqlite3.Connection) -> sqlite3.Connection:
    """An earlier version's store, copied into memory and upgraded there; the file is left as it was."""
    copy = sqlite3.connect(":memory:", isolation_level=None)
    db.backup(copy)
    db.close()
    _apply_migrations(copy, copy.execute("PRAGMA user_version").fetchone()[0])
    return copy


def explain(exc: sqlite3.Error, path: Path) -> StoreError:
    """What a SQLite error met at any moment means to the officer: a damaged store (with how to recover), a
    full or failing disk, or a store another program holds."""
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in str(exc):
        return StoreError(t("store-damaged", path=path, detail=exc), t("store-damaged-hint"))
    if name.startswith(("SQLITE_IOERR", "SQLITE_FULL")):
        return StoreError(t("store-write-failed", path=path, detail=exc), t("store-write-failed-hint"))
    return StoreError(t("store-open-failed", path=path, detail=exc), t("store-open-failed-hint"))


@dataclass(frozen=True)
class Salvaged:
    """What could be read back of one received file from a damaged store."""

    source_path: str
    content: bytes
    received_on: date | None  # the day its timeliness was judged by, to be given to the file again
    round: int | None  # the round it was accepted for (None: it was rejected, or its round is not known)


SALVAGE_MISSES = 500  # ids in a row that yield nothing before the search for more ends


def salvage(path: Path) -> tuple[list[Salvaged], int]:
    """The original bytes of every file a damaged store still holds, and how many could not be read.

    The file is opened read-only and immutable (no journal, nothing written); each file is read on its own,
    so a damaged page costs the files on it, not the others.
    """
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    found: list[Salvaged] = []
    lost = failed = misses = sid = 0  # failed: unreadable ids since the last file read back
    try:
        while misses < SALVAGE_MISSES:
            sid += 1
            try:
                row = db.execute(
                    "SELECT s.source_path, f.content, s.received_on, s.report_date, CASE WHEN s.status IN "
                    "('accepted', 'superseded') THEN s.round END FROM files f LEFT JOIN submissions s ON "
                    "s.id = f.submission_id WHERE f.submission_id = ?", (sid,)).fetchone()
            except sqlite3.DatabaseError:
                failed, misses = failed + 1, misses + 1
                continue
            if row is None:
                misses += 1
                continue
            lost, failed, misses = lost + failed, 0, 0
            source, content, received, typed, rnd = row
            found.append(Salvaged(str(source or f"tep-{sid}"), bytes(content), _day(received or typed), rnd))
    finally:
        db.close()
    return found, lost + (failed if not found else 0)


def _create(path: Path) -> None:
    """Make a new store whole beside ``path`` and link it into place: the store appears complete or not at
    all, so a second run starting at the same moment never sees a half-made (empty) file."""
    # the prefix of every temporary file the tool makes (files.TEMP_PREFIX), so all are recognised as such
    fd, name = tempfile.mkstemp(prefix=".~tmp-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        db = sqlite3.connect(name, isolation_level=None)
        try:
            _apply_migrations(db, 0)
        finally:
            db.close()
        try:
            os.link(name, path)  # fails if another run made the store first: then that one is used
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links (some USB drives)
            if not path.exists():
                os.replace(name, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def _not_a_store(path: Path) -> StoreError:
    return StoreError(t("store-not-ours", path=path), t("store-not-ours-hint"))


class Store:
    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        """Open (and create, migrate) the store; ``readonly``: only read an existing one, change nothing."""
        self.path = path
        self.readonly = readonly
        self._with_report: set[tuple[str, int]] | None = None  # (unit, round) that have an accepted report
        self._digests: set[str] | None = None  # the SHA-256 of every file held (a writer's, read on first use)
        self._closures: dict[int, Closure] | None = None  # the closings in force, by round (read on first use)
        self._batch_started = 0.0
        # Files recorded in the open transaction and not yet written.
        # They are written together, a statement per table, before the commit or any read (see ``db``).
        self._queued: list[tuple[str, Statements]] = []  # (digest, rows) of each file
        self._queued_bytes = 0  # the size of their originals
        self._next_id = 0  # the id the next queued file takes (this process holds the write lock)
        self._digests_through = 0  # the highest submission id whose digest is in _digests
        if readonly:
            self._db = self._open_readonly(path)
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                _create(path)
            elif path.is_file() and path.stat().st_size == 0:  # a store cut to nothing, or a file someone made
                raise _not_a_store(path)
            self._db = sqlite3.connect(path, timeout=60, isolation_level=None)
            self.db.execute("PRAGMA busy_timeout = 60000")
            self._setup()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                t("store-open-failed", path=path, detail=exc),
                t("store-open-failed-hint"),
            ) from None
        except OSError as exc:
            raise StoreError(
                t("store-create-failed", path=path, detail=exc.strerror), t("store-create-failed-hint")
            ) from None

    @property
    def db(self) -> sqlite3.Connection:
        """The connection, with every file recorded so far written to it: whatever reads the store sees them."""
        self._write_queue()
        return self._db

    @staticmethod
    def _open_readonly(path: Path) -> sqlite3.Connection:
        """A connection that cannot write: no store is created, none is changed, a read-only folder serves.

        A store in WAL mode needs its -shm file, which a read-only folder may not let SQLite make;
        then it is opened as immutable (nobody can be writing it there).
        """
        if not path.is_file():
            raise NothingToReport(t("store-missing", path=path), t("store-missing-hint"))
        if path.stat().st_size == 0:
            raise _not_a_store(path)
        uri = path.resolve().as_uri()
        last: sqlite3.Error | None = None
        for options in ("mode=ro", "mode=ro&immutable=1"):
            try:
                db = sqlite3.connect(f"{uri}?{options}", uri=True, timeout=60, isolation_level=None)
                version = db.execute("PRAGMA user_version").fetchone()[0]
            except sqlite3.Error as exc:
                last = exc
                continue
            if version > SCHEMA_VERSION:
                db.close()
                raise StoreError(t("store-too-new", path=path), t("store-too-new-hint"))
            if version == 0:  # no store of ours has version 0 once it exists: a foreign database
                db.close()
                raise _not_a_store(path)
            if version < SCHEMA_VERSION:  # an earlier version's store: read through an upgraded copy in memory,
                return _upgraded_copy(db)  # the file itself is changed only by a command that writes
            return db
        raise StoreError(t("store-open-failed", path=path, detail=last), t("store-open-failed-hint"))

    def _setup(self) -> None:
        """WAL mode and migrations; retried while another process holds the file.

        Switching to WAL needs the database to itself and does not wait on the busy timeout,
        so a second `ingest` starting at the same moment gets "database is locked" at once.
        """
        deadline = time.monotonic() + SETUP_SECONDS
        while True:
            try:
                if self.db.execute("PRAGMA user_version").fetchone()[0] == 0 and self.db.execute(
                    "SELECT count(*) FROM sqlite_master"
                ).fetchone()[0]:
                    raise _not_a_store(self.path)  # another program's database: not even its journal mode changes
                if self.db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA foreign_keys = ON")
                self.db.execute("PRAGMA synchronous = NORMAL")
                # Checkpoints (the only syncs in WAL mode) once per run, in close(), not every 1000 pages.
                self.db.execute("PRAGMA wal_autocheckpoint = 20000")
                self._migrate()
                return
            except sqlite3.OperationalError as exc:
                if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def commit(self) -> None:
        """Make every file recorded so far permanent; one the store refused (the queue's IntegrityError, raised
        after) leaves the others to be committed all the same."""
        refused: sqlite3.IntegrityError | None = None
        try:
            self._write_queue()
        except sqlite3.IntegrityError as exc:
            refused = exc
        if self._db.in_transaction:
            try:
                self._db.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                raise self._write_failed(exc) from None
        if refused is not None:
            raise refused

    def close(self) -> None:
        if self.readonly:
            self.db.close()
            return
        try:
            self.commit()
            # Commits are not synced one by one (synchronous = NORMAL: a power cut may undo the last
            # few, never half of one); the checkpoint syncs the run to disk before the command is done.
            self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            self._at_rest()
        except sqlite3.OperationalError as exc:  # the disk filled up at the very end
            raise self._write_failed(exc) from None
        finally:
            self.db.close()

    def _at_rest(self) -> None:
        """Leave the store in rollback-journal mode when no one else has it open: a reader (status,
        consolidate, a read-only folder) then needs no -shm/-wal file beside it and creates none.
        The next writer switches back to WAL. With another connection open, it stays in WAL."""
        with contextlib.suppress(sqlite3.OperationalError):
            self.db.execute("PRAGMA journal_mode = DELETE").fetchone()

    def _write_failed(self, exc: Exception) -> StoreError:
        return StoreError(t("store-write-failed", path=self.path, detail=exc), t("store-write-failed-hint"))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                t("store-too-new", path=self.path),
                t("store-too-new-hint"),
            )
        _apply_migrations(self.db, version)

    # --- reading ---------------------------------------------------------------------

    _REPORT = (
        "SELECT id, source_path, sha256, unit_code, round, status, verdict, identified_by, report_date, "
        "received_on, date_source, file_modified, received_at, sheet, preparer, phone, size FROM submissions "
    )

    def _report(self, row: tuple[Any, ...], rows: list[Row] | None = None) -> Report:
        sid, source, sha256, unit, rnd, status, verdict, by, typed, received, source_kind, modified, at = row[:13]
        sheet, preparer, phone, size = row[13:]
        kind = DateSource(source_kind or "")
        return Report(
            source,
            Verdict(verdict),
            unit or "",
            round=rnd,
            identified_by=by,
            rows=rows if rows is not None else [],
            sha256=sha256,
            # A version-2 store kept the file's date where no date was typed: unknown where it came from.
            report_date=_day(typed) if kind in (DateSource.TYPED, DateSource.UNKNOWN) else None,
            received_on=_day(received),
            date_source=kind,
            file_modified=datetime.fromisoformat(modified) if modified else None,
            received_at=at,
            sheet=sheet or "",
            preparer=preparer or "",
            phone=phone or "",
            size=size,
            status=Status(status),
            id=sid,
        )

    def settled(self) -> frozenset[str]:
        """The digests of the files held as accepted or superseded, read once before a run's workers start: such a
        file is not examined again. One held as rejected is (its unit or round may now be known). A file recorded
        during the run is not in it; the main process, which decides, still finds it (held)."""
        held = self.db.execute("SELECT id, sha256, status FROM submissions").fetchall()
        if not self.readonly and self._digests is None:  # the same read gives held() every digest
            self._keep_digests(held)
        return frozenset(sha for _, sha, status in held if status != "rejected")

    def _keep_digests(self, held: Iterable[Sequence[Any]]) -> set[str]:
        """Keep the digests of the rows ``held`` ((id, sha256, …) of submissions) and the highest id among them."""
        digests = self._digests if self._digests is not None else set()
        for row in held:
            digests.add(row[1])
            self._digests_through = max(self._digests_through, row[0])
        self._digests = digests
        return digests

    def held(self, sha256: str) -> Report | None:
        """The report the store holds for these bytes, if it holds them.

        A writer reads the digests it holds once and keeps them up to date: most files of a run are new, and
        they then cost no query. (Bytes another process records meanwhile are found by the UNIQUE key when
        they are recorded here: record() returns None, and the digest is asked for again.)
        """
        if not self.readonly:
            digests = self._digests
            if digests is None:
                digests = self._keep_digests(self.db.execute("SELECT id, sha256 FROM submissions"))
            if sha256 not in digests:
                return None
        row = self.db.execute(self._REPORT + "WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else self._report(row)

    def current(self, unit_code: str, round_number: int) -> Report | None:
        """The unit's report that counts for the round now, with its rows, if any.

        Which units have one is read once and kept up to date by record(): most files of a run are a
        unit's first report of the round, and they then cost no query here.
        """
        if (unit_code, round_number) not in self._units_with_report():
            return None
        row = self.db.execute(
            self._REPORT + "WHERE unit_code = ? AND round = ? AND status = 'accepted'", (unit_code, round_number)
        ).fetchone()
        return None if row is None else self._report(row, self._rows(row[0]))

    def _rows(self, submission_id: int) -> list[Row]:
        found = self.db.execute(
            "SELECT r.submission_id, r.unit_code, r.sheet_row, f.column_key, f.value FROM rows r "
            "LEFT JOIN figures f ON f.submission_id = r.submission_id AND f.unit_code = r.unit_code "
            "WHERE r.submission_id = ? ORDER BY r.sheet_row, r.unit_code",
            (submission_id,),
        )
        return _rows_with_figures(found).get(submission_id, [])

    # --- closing a round -------------------------------------------------------------------

    def closure(self, round_number: int) -> Closure | None:
        """The round's closing in force, if it is closed (read once per store: every output asks)."""
        if self._closures is None:  # every store has the table: an older one is migrated, or upgraded in memory
            self._closures = {
                rnd: Closure(cid, rnd, datetime.fromisoformat(at), through, digest)
                for cid, rnd, at, through, digest in self.db.execute(
                    "SELECT id, round, closed_at, through_id, digest FROM closures WHERE reopened_at IS NULL"
                )
            }
        return self._closures.get(round_number)

    # --- the form the figures are by ------------------------------------------------------------

    def form_columns(self) -> tuple[str, ...]:
        """The columns of the form the store's figures are by (none before its first report)."""
        return tuple(key for (key,) in self.db.execute("SELECT key FROM form_columns ORDER BY position"))

    def check_form(self, keys: Sequence[str], *, keep: bool = False) -> None:
        """The store's figures are by the columns of one form: a campaign.toml that declares others would read
        them under the wrong columns, and is refused (StoreError). ``keep``: a store without a form yet takes
        these columns as its own, in one transaction."""
        held = self.form_columns()
        if held and held != tuple(keys):
            raise StoreError(t("store-form-differs", path=self.path, held=", ".join(held), keys=", ".join(keys)),
                             t("store-form-differs-hint"))
        if not held and keep:
            self._begin()
            try:
                if not self.form_columns():  # another process may have been first
                    self.db.executemany("INSERT INTO form_columns (position, key) VALUES (?, ?)",
                                        list(enumerate(keys, start=1)))
                self.db.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self.db.execute("ROLLBACK")
                raise self._write_failed(exc) from None

    @contextlib.contextmanager
    def _closing_change(self) -> Iterator[None]:
        """One transaction on the closings, committed at once (not with a run's files); inside it and after it,
        the closings are read anew (another process may have changed them)."""
        self._begin()
        self._closures = None
        try:
            yield
            self.db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self.db.execute("ROLLBACK")
            raise self._write_failed(exc) from None
        finally:
            self._closures = None

    def close_round(self, round_number: int, digest: str, at: datetime) -> tuple[Closure, bool]:
        """Close the round on the reports in use now, in one transaction; (its closing, whether it was made now:
        a round already closed, by this process or another, keeps the closing it has)."""
        with self._closing_change():
            if (found := self.closure(round_number)) is not None:
                return found, False
            through = self.db.execute("SELECT coalesce(max(id), 0) FROM submissions").fetchone()[0]
            cid = self.db.execute(
                "INSERT INTO closures (round, closed_at, through_id, digest) VALUES (?, ?, ?, ?)",
                (round_number, at.isoformat(timespec="seconds"), through, digest),
            ).lastrowid
            self.db.execute(
                "INSERT INTO closure_reports (closure_id, submission_id) SELECT ?, id FROM submissions "
                "WHERE round = ? AND status = 'accepted'",
                (cid, round_number),
            )
        closure = self.closure(round_number)
        assert closure is not None
        return closure, True

    def set_digest(self, closure: Closure, digest: str) -> Closure:
        """The digest of the closed round's figures, computed from its closing once it is recorded."""
        with self._closing_change():
            self.db.execute("UPDATE closures SET digest = ? WHERE id = ?", (digest, closure.id))
        return Closure(closure.id, closure.round, closure.closed_at, closure.through_id, digest)

    def reopen_round(self, round_number: int, at: datetime) -> Closure | None:
        """Reopen the round (its closing stays in the history); the closing that was in force, if any."""
        with self._closing_change():
            closure = self.closure(round_number)
            if closure is not None:
                self.db.execute("UPDATE closures SET reopened_at = ? WHERE id = ?",
                                (at.isoformat(timespec="seconds"), closure.id))  # fmt: skip
        return closure

    def after_closure(self, round_number: int) -> list[Report]:
        """The files of a closed round recorded after it was closed: stored, shown, not counted."""
        closure = self.closure(round_number)
        if closure is None:
            return []
        query = self._REPORT + "WHERE round = ? AND id > ? ORDER BY id"
        return [self._report(row) for row in self.db.execute(query, (round_number, closure.through_id))]

    def _in_use(self, round_number: int, alias: str = "") -> tuple[str, tuple[int, ...]]:
        """The SQL condition (and its parameters) that picks the round's reports in use: those of its closing
        when it is closed, else the accepted ones."""
        closure = self.closure(round_number)
        if closure is not None:
            return f"{alias}id IN (SELECT submission_id FROM closure_reports WHERE closure_id = ?)", (closure.id,)
        return f"{alias}round = ? AND {alias}status = 'accepted'", (round_number,)

    def _recorded_by_then(self, round_number: int, alias: str = "") -> str:
        """A condition limiting a closed round's other files to those recorded before it was closed."""
        closure = self.closure(round_number)
        return "" if closure is None else f" AND {alias}id <= {int(closure.through_id)}"

    # --- reading the reports in use -----------------------------------------------------------

    def accepted(self, round_number: int) -> list[Report]:
        """The report that counts of every unit that has one for this round, with its rows (two queries)."""
        in_use, params = self._in_use(round_number, "s.")
        rows = _rows_with_figures(self.db.execute(
            "SELECT r.submission_id, r.unit_code, r.sheet_row, f.column_key, f.value "
            "FROM rows r JOIN submissions s ON s.id = r.submission_id "
            "LEFT JOIN figures f ON f.submission_id = r.submission_id AND f.unit_code = r.unit_code "
            f"WHERE {in_use} ORDER BY r.submission_id, r.sheet_row, r.unit_code",
            params,
        ))
        in_use, params = self._in_use(round_number)
        query = self._REPORT + f"WHERE {in_use} ORDER BY unit_code"
        return [self._report(row, rows.get(row[0], [])) for row in self.db.execute(query, params)]

    def lineage(self, round_number: int) -> dict[str, Lineage]:
        """For each unit of the round: the files superseded by the report in use, and those sent back."""
        files: dict[str, dict[str, list[str]]] = {}
        in_use, params = self._in_use(round_number)
        for unit, status, source in self.db.execute(
            "SELECT unit_code, CASE WHEN status = 'rejected' THEN 'rejected' ELSE 'superseded' END, source_path "
            "FROM submissions WHERE round = ? AND unit_code IS NOT NULL AND status IN ('superseded', 'rejected', "
            f"'accepted') AND NOT ({in_use}){self._recorded_by_then(round_number)} ORDER BY id",
            (round_number, *params),
        ):
            files.setdefault(unit, {"superseded": [], "rejected": []})[status].append(source)
        return {unit: Lineage(tuple(f["superseded"]), tuple(f["rejected"])) for unit, f in files.items()}

    def _units_with_report(self) -> set[tuple[str, int]]:
        """(unit, round) of every accepted report: read once, kept up to date by record()."""
        if self._with_report is None:
            self._with_report = set(
                self.db.execute("SELECT unit_code, round FROM submissions WHERE status = 'accepted'").fetchall()
            )
        return self._with_report

    def previous_counts(self, unit_code: str, round_number: int) -> tuple[int | None, dict[str, Counts]]:
        """The figures of the unit's latest accepted report of an earlier round, by (sub-)unit code (a unit's
        first round, or a fresh store, costs no query)."""
        held = self._units_with_report()
        if not any((unit_code, earlier) in held for earlier in range(1, round_number)):
            return None, {}
        row = self.db.execute(
            "SELECT id, round FROM submissions WHERE unit_code = ? AND round < ? AND status = 'accepted' "
            "ORDER BY round DESC, id DESC LIMIT 1",
            (unit_code, round_number),
        ).fetchone()
        if row is None:
            return None, {}
        return row[1], {r.unit: r.counts for r in self._rows(row[0])}

    def counts_in_use(self, round_number: int) -> dict[str, Counts]:
        """The counts of every unit in the round's reports in use (the rules compute the shares they compare)."""
        counts: dict[str, Counts] = {}
        for unit, column, value in self.db.execute(
            "SELECT f.unit_code, f.column_key, f.value FROM figures f JOIN submissions s ON s.id = f.submission_id "
            "WHERE s.round = ? AND s.status = 'accepted'",
            (round_number,),
        ):
            counts.setdefault(unit, {})[column] = value
        return counts

    def rounds_with_reports(self) -> list[int]:
        """The rounds that have at least one report in use, in order."""
        query = "SELECT DISTINCT round FROM submissions WHERE status = 'accepted' AND round IS NOT NULL ORDER BY round"
        return [number for (number,) in self.db.execute(query)]

    def subtotals(self, round_number: int) -> dict[str, list[Row]]:
        """The group subtotals of the round's reports in use that brought some, by the sender's unit code."""
        in_use, params = self._in_use(round_number, "s.")
        return _rows_with_figures(self.db.execute(
            "SELECT s.unit_code, t.label, t.sheet_row, f.column_key, f.value FROM subtotals t "
            "JOIN submissions s ON s.id = t.submission_id LEFT JOIN subtotal_figures f "
            "ON f.submission_id = t.submission_id AND f.sheet_row = t.sheet_row "
            f"WHERE {in_use} ORDER BY s.unit_code, t.sheet_row",
            params,
        ))

    def elsewhere(self, round_number: int, sender: str, units: Sequence[str]) -> list[tuple[str, Report]]:
        """The other senders' reports in use of the round that hold figures of ``units``: (unit, report)."""
        if not units:
            return []
        marks = ", ".join("?" * len(units))
        found = self.db.execute(
            f"SELECT r.unit_code, s.id FROM rows r JOIN submissions s ON s.id = r.submission_id "
            f"WHERE r.unit_code IN ({marks}) AND s.round = ? AND s.status = 'accepted' AND s.unit_code != ?",
            (*units, round_number, sender),
        ).fetchall()
        reports = {sid: self._report(row) for sid in {sid for _, sid in found}
                   if (row := self.db.execute(self._REPORT + "WHERE id = ?", (sid,)).fetchone()) is not None}
        return [(unit, reports[sid]) for unit, sid in found if sid in reports]

    def units_in_use(self, round_number: int) -> set[str]:
        """Every (sub-)unit with a row in one of the round's reports in use."""
        query = (
            "SELECT DISTINCT r.unit_code FROM rows r JOIN submissions s ON s.id = r.submission_id "
            "WHERE s.round = ? AND s.status = 'accepted'"
        )
        return {unit for (unit,) in self.db.execute(query, (round_number,))}

    def submissions(self, round_number: int | None = None) -> list[dict[str, Any]]:
        cols = (
            "id",
            "unit_code",
            "round",
            "status",
            "verdict",
            "source_path",
            "received_at",
            "report_date",
            "superseded_by",
        )
        where, params = ("WHERE round = ?", (round_number,)) if round_number is not None else ("", ())
        return [
            dict(zip(cols, r, strict=True))
            for r in self.db.execute(f"SELECT {', '.join(cols)} FROM submissions {where} ORDER BY id", params)
        ]

    # --- writing ---------------------------------------------------------------------

    # The original bytes of a submission: in files, or for a version-1 workspace under archive/.
    _ORIGINAL = (
        "SELECT s.unit_code, s.source_path, f.content, s.archive_path "
        "FROM submissions s LEFT JOIN files f ON f.submission_id = s.id "
    )

    def _original_bytes(self, content: bytes | None, archive_path: str | None) -> bytes | None:
        if content is not None:
            return bytes(content)
        if not archive_path:
            return None
        try:
            return (self.path.parent / archive_path).read_bytes()
        except OSError:
            return None

    def original(self, sha256: str) -> bytes | None:
        """The bytes of a file as it was received (None if the store never saw it)."""
        row = self.db.execute(self._ORIGINAL + "WHERE s.sha256 = ?", (sha256,)).fetchone()
        return None if row is None else self._original_bytes(row[2], row[3])

    def originals(self, round_number: int) -> list[tuple[str, str, bytes]]:
        """(unit code, file name as sent, bytes) of the round's accepted submissions, by unit."""
        out = []
        for unit, source, content, archive_path in self.db.execute(
            self._ORIGINAL + "WHERE s.round = ? AND s.status = 'accepted' ORDER BY s.unit_code", (round_number,)
        ):
            data = self._original_bytes(content, archive_path)
            if data is not None:
                out.append((str(unit), str(source), data))
        return out

    def record(
        self,
        report: Report,
        *,
        status: Status,
        supersedes: int | None = None,
        superseded_by: int | None = None,
        replaces: int | None = None,
    ) -> int | None:
        """Record one report with its rows, findings and original bytes (``report.data``), all or nothing.

        ``status``: accepted, rejected, or superseded (by ``superseded_by``, the report in use, which is
        newer); an accepted one ``supersedes`` the report it replaces. ``replaces``: the id under which the
        same bytes were held as rejected, now recorded again from a new examination. Which report counts
        is decided by the caller (checks.choose_report), not here.

        A new file is queued and written with the others of its transaction, one statement per table, before
        anything reads the store (``db``) and at the latest when they are committed together: with the other
        files of the same quarter second (see COMMIT_SECONDS), or by commit()/close(). Returns the id, or None
        when the same bytes were recorded meanwhile (by another process, or earlier in this run).
        """
        self._begin()
        if replaces is not None:
            self._rewrite(report, status, superseded_by, replaces)
            sid = replaces
        elif report.sha256 in (self._digests or ()):  # the write lock is ours: every digest held is known
            return None
        elif supersedes is None:
            sid = self._queue(report, status, superseded_by)
        else:
            sid = self._write_superseding(report, status, superseded_by, supersedes)
        if time.monotonic() - self._batch_started >= COMMIT_SECONDS:
            self.commit()
        if status is Status.ACCEPTED and self._with_report is not None and report.round is not None:
            self._with_report.add((report.unit, report.round))
        if self._digests is not None:
            self._digests.add(report.sha256)
        return sid

    def _begin(self) -> None:
        """Start a transaction (the write lock) unless one is open; then read the digests and the last id that
        another process recorded before it: until the commit, nobody else can add any."""
        if self._db.in_transaction:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            last = int(self._db.execute("SELECT coalesce(max(id), 0) FROM submissions").fetchone()[0])
            if self._digests is None or last > self._digests_through:
                self._keep_digests(self._db.execute("SELECT id, sha256 FROM submissions WHERE id > ?",
                                                    (0 if self._digests is None else self._digests_through,)))
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(t("store-locked", path=self.path), t("store-locked-hint")) from None
            raise self._write_failed(exc) from None
        self._next_id = last + 1
        self._batch_started = time.monotonic()

    _FIELDS = (
        "sha256, size, source_path, archive_path, received_at, report_date, unit_code, round, status, verdict, "
        "identified_by, sheet, preparer, phone, superseded_by, received_on, date_source, file_modified"
    )
    _KEPT = frozenset({"sha256", "size", "source_path", "archive_path"})  # what a new examination never changes
    # A file's statements, in the order its rows must be written (its parts refer to its submission).
    _SUBMISSION = f"INSERT INTO submissions (id, {_FIELDS}) VALUES ({', '.join('?' * 19)})"
    _ROWS = "INSERT INTO rows (submission_id, unit_code, sheet_row) VALUES (?, ?, ?)"
    _FIGURES = "INSERT INTO figures (submission_id, unit_code, column_key, value) VALUES (?, ?, ?, ?)"
    _SUBTOTALS = "INSERT INTO subtotals (submission_id, sheet_row, label) VALUES (?, ?, ?)"
    _SUBTOTAL_FIGURES = "INSERT INTO subtotal_figures (submission_id, sheet_row, column_key, value) VALUES (?, ?, ?, ?)"
    _FINDINGS = ("INSERT INTO findings (submission_id, code, severity, sheet, cell, unit_code, round, value, args) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    _FILE = "INSERT INTO files (submission_id, suffix, content) VALUES (?, ?, ?)"

    @staticmethod
    def _submission_values(report: Report, status: Status, superseded_by: int | None) -> tuple[Any, ...]:
        return (
            report.sha256,
            report.size,
            report.path,
            "",
            report.received_at,
            report.report_date.isoformat() if report.report_date else None,
            report.unit or None,
            report.round,
            status.value,
            report.verdict.value,
            report.identified_by,
            report.sheet,
            report.preparer,
            report.phone,
            superseded_by,
            report.received_on.isoformat() if report.received_on else None,
            report.date_source.value,
            report.file_modified.isoformat(timespec="seconds") if report.file_modified else None,
        )

    @staticmethod
    def _parts(sid: int, report: Report) -> Statements:
        """The rows of every table but submissions that hold what the report says, by statement."""
        return {
            Store._ROWS: [(sid, r.unit, r.sheet_row) for r in report.rows],
            Store._FIGURES: [(sid, r.unit, key, value) for r in report.rows for key, value in r.counts.items()],
            Store._SUBTOTALS: [(sid, r.sheet_row, r.unit) for r in report.subtotals],  # a lower level's workbook
            Store._SUBTOTAL_FIGURES: [(sid, r.sheet_row, key, value) for r in report.subtotals
                                      for key, value in r.counts.items()],
            Store._FINDINGS: [(sid, f.code, f.severity.value, f.sheet, f.cell, f.unit, f.round, f.value,
                               json.dumps(f.args, ensure_ascii=False, default=str)) for f in report.findings],
        }

    def _new_rows(self, report: Report, status: Status, superseded_by: int | None) -> tuple[int, Statements]:
        """A new file's id and rows, made now (the caller may change the report once it is recorded)."""
        sid = self._next_id
        self._next_id += 1
        return sid, {self._SUBMISSION: [(sid, *self._submission_values(report, status, superseded_by))],
                     **self._parts(sid, report), self._FILE: [(sid, report.suffix.lower(), report.data)]}

    def _queue(self, report: Report, status: Status, superseded_by: int | None) -> int:
        sid, rows = self._new_rows(report, status, superseded_by)
        self._queued.append((report.sha256, rows))
        self._queued_bytes += len(report.data)
        if self._queued_bytes >= QUEUE_BYTES:
            self._flush()
        return sid

    def _write_queue(self) -> None:
        if self._queued:
            self._flush()

    def _flush(self) -> None:
        """Write the queued files: each table's rows in one statement. If the store refuses one file, each is
        written on its own, so that one file's fault costs only that file (the error is raised after)."""
        queued, self._queued, self._queued_bytes = self._queued, [], 0
        statements: Statements = {}
        for _, rows in queued:
            for statement, values in rows.items():
                statements.setdefault(statement, []).extend(values)
        try:
            self._write_all(statements)
        except sqlite3.IntegrityError as exc:
            failed = exc
        else:
            return
        for digest, rows in queued:
            try:
                self._write_all(rows)
            except sqlite3.IntegrityError:
                if self._digests is not None:
                    self._digests.discard(digest)
                self._with_report = None  # read again when next asked
        raise failed

    def _write_all(self, statements: Statements) -> None:
        """Run each statement on its rows, all or nothing; a write the disk refuses is this store's failure."""
        db = self._db
        db.execute("SAVEPOINT written")
        try:
            for statement, values in statements.items():
                if values:
                    db.executemany(statement, values)
            db.execute("RELEASE written")
        except BaseException as exc:
            if db.in_transaction:  # SQLite may have rolled back already (disk full)
                db.execute("ROLLBACK TO written")
                db.execute("RELEASE written")
            if isinstance(exc, sqlite3.OperationalError):
                raise self._write_failed(exc) from None
            raise

    def _write_superseding(self, report: Report, status: Status, superseded_by: int | None, earlier: int) -> int:
        """A new report that takes the place of ``earlier`` (and of those it had), written at once, with that."""
        sid, rows = self._new_rows(report, status, superseded_by)
        rows["UPDATE submissions SET status = 'superseded', superseded_by = ? WHERE id = ?"] = [(sid, earlier)]
        rows["UPDATE submissions SET superseded_by = ? WHERE superseded_by = ? AND status = 'superseded'"] = [
            (sid, earlier)]
        self._write_queue()  # the files before it first: the store keeps them in the order received
        self._write_all(rows)
        return sid

    def _rewrite(self, report: Report, status: Status, superseded_by: int | None, replaces: int) -> None:
        """A file held as rejected, examined again: what it says replaces what it said (its source path and
        original stay as first recorded)."""
        values = self._submission_values(report, status, superseded_by)
        pairs = [(n, v) for n, v in zip(self._FIELDS.split(", "), values, strict=True) if n not in self._KEPT]
        statements: Statements = {
            f"UPDATE submissions SET {', '.join(f'{n} = ?' for n, _ in pairs)} WHERE id = ?":
                [(*(v for _, v in pairs), replaces)],
            **{f"DELETE FROM {table} WHERE submission_id = ?": [(replaces,)]
               for table in ("rows", "figures", "findings", "subtotals", "subtotal_figures")},
            **self._parts(replaces, report),
        }
        self._write_queue()
        self._write_all(statements)

    def kept_findings(self, round_number: int) -> list[tuple[str, str, Finding]]:
        """Warnings and notes of a round's reports in use: (unit, path, finding).

        With them, a warning that two disagreeing reports could not be ordered, kept with whichever of
        the two lost, so that the report in use shows it.
        """
        out = []
        in_use, params = self._in_use(round_number, "s.")
        used_ids, _ = self._in_use(round_number)
        for unit, path, code, sev, sheet, cell, f_unit, rnd, value, args in self.db.execute(
            "SELECT s.unit_code, s.source_path, f.code, f.severity, f.sheet, f.cell, f.unit_code, f.round, f.value, "
            "f.args FROM findings f JOIN submissions s ON s.id = f.submission_id "
            f"WHERE s.round = ? AND f.severity != 'error' AND (({in_use}) OR (f.code = "
            f"'report-order-unclear' AND s.superseded_by IN (SELECT id FROM submissions WHERE {used_ids}))) "
            "ORDER BY s.unit_code, f.id",
            (round_number, *params, *params),
        ):
            finding = Finding(code, Severity(sev), path, sheet, cell, f_unit, rnd, value, json.loads(args))
            out.append((unit, path, finding))
        return out

    def rows_of(self, sha256: str) -> list[Row] | None:
        """The figures the store read from these bytes (None: it never received them)."""
        held = self.held(sha256)
        return None if held is None or held.id is None else self._rows(held.id)

    def findings_of(self, submission_id: int) -> list[Finding]:
        """What the file recorded under ``submission_id`` was found to have, in the order it was found."""
        return [
            Finding(code, Severity(sev), path, sheet, cell, unit, rnd, value, json.loads(args))
            for path, code, sev, sheet, cell, unit, rnd, value, args in self.db.execute(
                "SELECT s.source_path, f.code, f.severity, f.sheet, f.cell, f.unit_code, f.round, f.value, f.args "
                "FROM findings f JOIN submissions s ON s.id = f.submission_id WHERE f.submission_id = ? ORDER BY f.id",
                (submission_id,),
            )
        ]

    def reports_with_findings(self, round_number: int | None) -> list[Report]:
        """Every file held for the round (all rounds: None) that has findings, with them, in the order received;
        files whose round is not known (unreadable, not identified) come with every round."""
        where = "" if round_number is None else "AND (round = ? OR round IS NULL)"
        params = () if round_number is None else (round_number,)
        query = self._REPORT + f"WHERE id IN (SELECT submission_id FROM findings) {where} ORDER BY id"
        reports = []
        for row in self.db.execute(query, params).fetchall():
            report = self._report(row)
            report.findings = self.findings_of(row[0])
            reports.append(report)
        return reports

    def answer_to(self, report: Report) -> str:
        """The path of the first file its unit sent for the round after a file sent back, and that was received
        (accepted, or kept behind a later one), "" if none: the fix it was sent back for. (A later run takes it
        in at a later moment; two files of one run are in no order the tool can vouch for, and answer nothing.)"""
        if report.status is not Status.REJECTED or not report.unit or report.round is None:
            return ""
        row = self.db.execute(
            "SELECT source_path FROM submissions WHERE unit_code = ? AND round = ? AND status != 'rejected' "
            "AND received_at > ? ORDER BY id LIMIT 1", (report.unit, report.round, report.received_at)).fetchone()
        return "" if row is None else str(row[0])

    def in_use_id(self, unit_code: str, round_number: int) -> int | None:
        """The id of the unit's report that counts for the round (through its closing, as every output reads it)."""
        in_use, params = self._in_use(round_number)
        row = self.db.execute(f"SELECT id FROM submissions WHERE {in_use} AND unit_code = ?",
                              (*params, unit_code)).fetchone()
        return None if row is None else int(row[0])

    def reports_of_unit(self, unit_code: str) -> list[Report]:
        """Every file held for a unit, each with its figures and findings, in the order received."""
        rows = self.db.execute(self._REPORT + "WHERE unit_code = ? ORDER BY id", (unit_code,)).fetchall()
        reports = []
        for row in rows:
            report = self._report(row, self._rows(row[0]))
            report.findings = self.findings_of(row[0])
            reports.append(report)
        return reports

    def rejected_without_unit(self, round_number: int) -> int:
        """Files of the round sent back before any unit could be told from them (damaged, not a form)."""
        row = self.db.execute(
            "SELECT count(*) FROM submissions WHERE round = ? AND status = 'rejected' AND unit_code IS NULL"
            + self._recorded_by_then(round_number),
            (round_number,),
        ).fetchone()
        return int(row[0])

    def rejected_units(self, round_number: int) -> set[str]:
        """Units whose every file of this round was rejected."""
        in_use, params = self._in_use(round_number)
        return {
            unit
            for (unit,) in self.db.execute(
                "SELECT DISTINCT unit_code FROM submissions WHERE round = ? AND status = 'rejected' "
                f"AND unit_code IS NOT NULL{self._recorded_by_then(round_number)} AND unit_code NOT IN "
                f"(SELECT unit_code FROM submissions WHERE {in_use} AND unit_code IS NOT NULL)",
                (round_number, *params),
            )
        }
