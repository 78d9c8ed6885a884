"""The store on its own: what it keeps, what it gives back, how it fails, and that nothing is lost or doubled."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from ihanoi_report.errors import NothingToReport, StoreError
from ihanoi_report.model import DateSource, Finding, Report, Row, Severity, Status
from ihanoi_report.store import MIGRATIONS, SCHEMA_VERSION, Store


def test_a_version_1_store_is_migrated_and_its_archived_originals_still_read(tmp_path):
    old = sqlite3.connect(tmp_path / "ihanoi.sqlite")
    old.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    sha = "ab" * 32
    old.execute("INSERT INTO submissions (sha256, size, source_path, archive_path, received_at, status, verdict) "
                "VALUES (?, 3, 'a.xlsx', ?, '2024-07-20T08:00:00', 'accepted', 'accepted')",
                (sha, f"archive/ab/{sha}.xlsx"))
    old.commit()
    old.close()
    (tmp_path / "archive" / "ab").mkdir(parents=True)
    (tmp_path / "archive" / "ab" / f"{sha}.xlsx").write_bytes(b"old")
    with Store(tmp_path / "ihanoi.sqlite") as store:
        assert store.db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert store.original(sha) == b"old"
        assert store.submissions()[0]["source_path"] == "a.xlsx"


def test_a_disk_that_fills_up_is_a_store_error_that_says_what_to_do(tmp_path):
    class FullDisk:
        """The store's connection, except that writing a commit fails as on a full disk."""

        def __init__(self, db: sqlite3.Connection) -> None:
            self._db = db

        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
            if sql == "COMMIT":
                raise sqlite3.OperationalError("database or disk is full")
            return self._db.execute(sql, *args)

        def __getattr__(self, name: str) -> object:
            return getattr(self._db, name)

    store = Store(tmp_path / "ihanoi.sqlite")
    real = store.db
    store._db = FullDisk(real)  # type: ignore[assignment]
    store.db.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreError) as failure:
        store.close()
    assert "Không ghi được vào kho dữ liệu" in failure.value.message and "dung lượng đĩa" in failure.value.hint
    with pytest.raises(sqlite3.ProgrammingError):  # closed all the same
        real.execute("SELECT 1")


def _report(sha256: str, path: str, data: bytes, counts: dict[str, int]) -> Report:
    return Report(path, unit="XA-09694", round=1, identified_by="metadata", sheet="Báo cáo", sha256=sha256,
                  size=len(data), suffix=".xlsx", received_at="2024-07-20T08:00:00", rows=[Row("XA-09694", 13, counts)],
                  data=data)


def test_the_same_bytes_recorded_by_another_process_meanwhile_are_recorded_once(tmp_path):
    with Store(tmp_path / "ihanoi.sqlite") as first, Store(tmp_path / "ihanoi.sqlite") as second:
        assert first.record(_report("cd" * 32, "a.xlsx", b"abc", {"staff_total": 5}), status=Status.ACCEPTED)
        first.commit()
        assert second.record(_report("cd" * 32, "copy of a.xlsx", b"abc", {}), status=Status.ACCEPTED) is None
        second.record(_report("ef" * 32, "b.xlsx", b"def", {}), status=Status.REJECTED)  # the run goes on
        second.commit()
        assert [s["source_path"] for s in second.submissions()] == ["a.xlsx", "b.xlsx"]
        assert second.db.execute("SELECT count(*) FROM rows").fetchone() == (2,)


def test_new_bytes_cost_no_query_and_bytes_another_process_recorded_are_still_found(tmp_path):
    with Store(tmp_path / "ihanoi.sqlite") as first, Store(tmp_path / "ihanoi.sqlite") as second:
        assert second.held("00" * 32) is None  # reads what it holds once
        asked: list[str] = []
        second.db.set_trace_callback(asked.append)
        assert second.held("11" * 32) is None
        assert asked == []  # bytes the store does not hold: no query
        second.db.set_trace_callback(None)
        first.record(_report("cd" * 32, "a.xlsx", b"abc", {"staff_total": 5}), status=Status.ACCEPTED)
        first.commit()
        assert second.held("cd" * 32) is None  # recorded after it read its digests: not known yet ...
        assert second.record(_report("cd" * 32, "copy.xlsx", b"abc", {}), status=Status.ACCEPTED) is None
        held = second.held("cd" * 32)  # ... until the UNIQUE key said so: then asked for
        assert held is not None and held.path == "a.xlsx"
        sid = second.record(_report("ef" * 32, "b.xlsx", b"def", {}), status=Status.ACCEPTED)
        assert second.held("ef" * 32) is not None and second.held("ef" * 32).id == sid


def test_settled_lists_the_files_held_as_accepted_or_superseded_not_the_rejected(tmp_path):
    with Store(tmp_path / "ihanoi.sqlite") as store:
        assert store.settled() == frozenset()  # a fresh store: every file is examined
        store.record(_report("ab" * 32, "a.xlsx", b"abc", {}), status=Status.ACCEPTED)
        store.record(_report("cd" * 32, "b.xlsx", b"abd", {}), status=Status.REJECTED)
        assert store.settled() == {"ab" * 32}  # held as rejected: examined again



def _dated(sha: str, path: str, counts: dict[str, int], *, unit: str = "XA-09694", rnd: int = 1,
           findings: list[Finding] | None = None) -> Report:
    return Report(path, unit=unit, round=rnd, identified_by="visible", sheet="Báo cáo", sha256=sha, size=3,
                  suffix=".xlsx", received_at="2024-07-20T08:00:00", report_date=date(2024, 7, 18),
                  received_on=date(2024, 7, 20), date_source=DateSource.TYPED, preparer="Nguyễn Thị Hoa",
                  phone="0912 345 678", rows=[Row(unit, 13, counts)], findings=findings or [], data=sha.encode())


def test_a_report_comes_back_as_it_was_recorded(tmp_path):
    note = Finding("late-report", Severity.WARNING, "a.xlsx", "Báo cáo", "G8", "XA-09694", 1, "18/07/2024",
                   {"due": date(2024, 7, 17), "days": 1})
    with Store(tmp_path / "ihanoi.sqlite") as store:
        store.record(_dated("a1" * 32, "a.xlsx", {"residents": 900, "smartphones": 600}, findings=[note]),
                     status=Status.ACCEPTED)
    with Store(tmp_path / "ihanoi.sqlite", readonly=True) as store:
        (back,) = store.accepted(1)
        assert (back.unit, back.round, back.path, back.status) == ("XA-09694", 1, "a.xlsx", Status.ACCEPTED)
        assert (back.report_date, back.received_on, back.date_source) == (date(2024, 7, 18), date(2024, 7, 20),
                                                                          DateSource.TYPED)
        assert (back.preparer, back.phone) == ("Nguyễn Thị Hoa", "0912 345 678")
        assert back.figures == {"XA-09694": {"residents": 900, "smartphones": 600}}
        assert store.current("XA-09694", 1) == back and store.current("XA-09694", 2) is None
        assert store.held("a1" * 32) == store.held("a1" * 32) and store.held("ff" * 32) is None
        assert store.original("a1" * 32) == ("a1" * 32).encode()
        ((unit, path, kept),) = store.kept_findings(1)
        assert (unit, path, kept) == ("XA-09694", "a.xlsx", note)
        assert kept.args == {"due": "2024-07-17", "days": 1}  # kept as JSON: a date as its ISO text


def test_a_superseded_report_leaves_the_figures_in_use_and_is_named_in_the_lineage(tmp_path):
    with Store(tmp_path / "ihanoi.sqlite") as store:
        first = store.record(_dated("b1" * 32, "first.xlsx", {"residents": 900, "smartphones": 500}),
                             status=Status.ACCEPTED)
        store.record(_dated("b2" * 32, "second.xlsx", {"residents": 900, "smartphones": 620}),
                     status=Status.ACCEPTED, supersedes=first)
        store.record(_dated("b3" * 32, "broken.xlsx", {}), status=Status.REJECTED)
        store.commit()
        assert [r.path for r in store.accepted(1)] == ["second.xlsx"]
        assert store.counts_in_use(1) == {"XA-09694": {"residents": 900, "smartphones": 620}}
        lineage = store.lineage(1)["XA-09694"]
        assert (lineage.superseded, lineage.rejected) == (("first.xlsx",), ("broken.xlsx",))
        assert store.previous_counts("XA-09694", 2) == (1, {"XA-09694": {"residents": 900, "smartphones": 620}})
        assert store.rejected_units(1) == set()  # it has a report in use


def test_a_unit_whose_every_file_was_rejected_is_awaited(tmp_path):
    with Store(tmp_path / "ihanoi.sqlite") as store:
        store.record(_dated("c1" * 32, "x.xlsx", {}, unit="XA-09625"), status=Status.REJECTED)
        store.commit()
        assert store.rejected_units(1) == {"XA-09625"} and store.accepted(1) == []


def test_a_failure_inside_one_record_leaves_nothing_of_that_file(tmp_path):
    broken = _dated("d1" * 32, "d.xlsx", {"residents": 900})
    broken.rows.append(Row("XA-09694", 13, {"residents": 901}))  # the same row twice: the store refuses it
    with Store(tmp_path / "ihanoi.sqlite") as store:
        store.record(_dated("d0" * 32, "ok.xlsx", {"residents": 800}, unit="XA-09625"), status=Status.ACCEPTED)
        store.record(broken, status=Status.ACCEPTED)
        store.record(_dated("d2" * 32, "after.xlsx", {"residents": 700}, unit="XA-09626"), status=Status.ACCEPTED)
        with pytest.raises(sqlite3.IntegrityError):  # said when the queued files are written together
            store.commit()
        assert not store.db.in_transaction  # the other two are committed all the same
        assert [s["source_path"] for s in store.submissions()] == ["ok.xlsx", "after.xlsx"]
        assert store.db.execute("SELECT count(*) FROM rows").fetchone() == (2,)
        assert store.db.execute("SELECT count(*) FROM files").fetchone() == (2,)
        assert store.held("d1" * 32) is None and store.settled() == {"d0" * 32, "d2" * 32}


def test_queued_files_are_written_before_anything_reads_the_store(tmp_path):
    with Store(tmp_path / "ihanoi.sqlite") as store:
        report = _dated("e0" * 32, "a.xlsx", {"residents": 800})
        sid = store.record(report, status=Status.ACCEPTED)
        assert store._queued  # not written yet: one statement per table for the files of a commit
        report.data, report.rows = b"", []  # as ingest does once a file is recorded: what was recorded stays
        assert store.held("e0" * 32) is not None and store.held("e0" * 32).id == sid
        assert store.record(_dated("e0" * 32, "copy.xlsx", {"residents": 800}), status=Status.ACCEPTED) is None
        assert [r.counts for r in store.accepted(1)[0].rows] == [{"residents": 800}]
        assert store.original("e0" * 32) == ("e0" * 32).encode()


def test_a_queue_of_many_bytes_is_written_before_the_commit(tmp_path, monkeypatch):
    import ihanoi_report.store as store_module

    first, second = (_dated(d * 32, f"{d}.xlsx", {"residents": 800}) for d in ("f0", "f1"))
    monkeypatch.setattr(store_module, "QUEUE_BYTES", len(first.data) + len(second.data))
    with Store(tmp_path / "ihanoi.sqlite") as store:
        store.record(first, status=Status.ACCEPTED)
        assert store._queued  # under the bound: it waits for the others of its commit
        store.record(second, status=Status.ACCEPTED)
        assert not store._queued and store._db.in_transaction  # written, their originals no longer held here
        assert store._db.execute("SELECT count(*) FROM files").fetchone() == (2,)
        with sqlite3.connect(tmp_path / "ihanoi.sqlite") as other:  # not yet committed: another reader sees none
            assert other.execute("SELECT count(*) FROM files").fetchone() == (0,)
    with Store(tmp_path / "ihanoi.sqlite", readonly=True) as store:
        assert store.settled() == {"f0" * 32, "f1" * 32}


def test_read_only_creates_nothing_and_writes_nothing(tmp_path):
    with pytest.raises(NothingToReport):
        Store(tmp_path / "none.sqlite", readonly=True)
    assert not (tmp_path / "none.sqlite").exists()
    Store(tmp_path / "ihanoi.sqlite").close()
    (tmp_path / "ihanoi.sqlite").chmod(0o444)
    tmp_path.chmod(0o555)  # a read-only folder, as on a shared drive
    try:
        with Store(tmp_path / "ihanoi.sqlite", readonly=True) as store:
            assert store.accepted(1) == []
            with pytest.raises(sqlite3.OperationalError):
                store.db.execute("DELETE FROM submissions")
    finally:
        tmp_path.chmod(0o755)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ihanoi.sqlite"]


def test_a_store_made_by_a_newer_version_is_refused(tmp_path):
    Store(tmp_path / "ihanoi.sqlite").close()
    db = sqlite3.connect(tmp_path / "ihanoi.sqlite")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    for readonly in (False, True):
        with pytest.raises(StoreError):
            Store(tmp_path / "ihanoi.sqlite", readonly=readonly)


def test_a_new_store_appears_whole_so_a_run_starting_at_the_same_moment_never_sees_an_empty_file(
    tmp_path, monkeypatch
):
    # Two ingests started together: the second once met the first's store as a 0-byte file and refused it
    # as "not a store of ihanoi-report". The store is now made beside its place and linked in complete.
    import os

    from ihanoi_report import store as store_module

    seen: list[tuple[int, int]] = []
    real_link = os.link

    def link(source: str, target: object) -> None:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as db:
            seen.append((os.path.getsize(source), db.execute("PRAGMA user_version").fetchone()[0]))
        real_link(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module.os, "link", link)
    path = tmp_path / "ihanoi.sqlite"
    with Store(path):
        pass
    assert len(seen) == 1 and seen[0][0] > 0 and seen[0][1] == SCHEMA_VERSION
    Store(path).close()  # the second run opens the one the first made
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ihanoi.sqlite"]
