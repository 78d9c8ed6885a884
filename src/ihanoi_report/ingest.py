"""One ingest run: walk a folder, examine every file, compare with the store, record it.

``examine`` is pure (bytes in, findings out); ``examine_file`` wraps it for the worker
processes, which read and hash each file themselves and send its bytes back with the verdict.
The store is written only in this process, each file all or nothing, original bytes included.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from ihanoi_report import form
from ihanoi_report.config import Campaign, Workspace
from ihanoi_report.findings import BatchReport, FileReport, Finding, Severity, Verdict, verdict_for
from ihanoi_report.identify import identify
from ihanoi_report.messages import t
from ihanoi_report.pool import Job, default_workers, examine_all
from ihanoi_report.reader import MAX_FILE_BYTES, SPREADSHEET_SUFFIXES, ReadFailure, read_submission
from ihanoi_report.rules import (
    Candidate,
    CountedRow,
    Where,
    check_columns,
    check_consistency,
    check_history,
    check_late,
    check_outlier,
    check_report_date,
    check_targets,
    check_total,
    choose_report,
    read_values,
)
from ihanoi_report.store import KnownFiles, NewSubmission, Store, StoredRow
from ihanoi_report.units import Registry
from ihanoi_report.values import parse_date

ERROR_LOG = "ihanoi-report-loi.log"  # in the workspace: the tool's own failures, with their tracebacks


@dataclass(frozen=True)
class Setup:
    """What every examination of a run shares; sent once to each worker."""

    registry: Registry
    campaign: Campaign
    expected_round: int | None  # the round the officer stated (--round), if any
    today: date
    received: date | None = None  # the day the officer says the batch arrived (--received), if any
    known: Container[str] = frozenset()  # digests of files the store holds with a settled verdict


@dataclass
class Examined:
    """What one file says and what is wrong with it, before the store is consulted."""

    shown_path: str  # the path as printed and stored (display_path): a str crosses processes cheaply
    sha256: str
    size: int
    findings: list[Finding] = field(default_factory=list)
    unit_code: str | None = None
    round: int | None = None
    identified_by: str = ""
    sheet: str = ""
    preparer: str = ""
    phone: str = ""
    report_date: date | None = None  # typed on the form, and usable
    received_on: date | None = None  # stated by the officer, else the file's modification day
    date_source: str = ""  # typed | stated | file: the date timeliness is judged by
    file_modified: datetime | None = None
    rows: list[CountedRow] = field(default_factory=list)
    index: int = -1  # position in the run, so that results come back in order
    data: bytes = field(default=b"", repr=False)  # the original bytes, kept by the store
    trace: str = field(default="", repr=False)  # the traceback of a failure of the tool's own

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def effective_date(self) -> date | None:
        return self.report_date or self.received_on

    def candidate(self) -> Candidate:
        figures = {r.unit.code: r.counts for r in self.rows}
        return Candidate(self.shown_path, self.sha256, self.report_date, self.received_on, self.file_modified, figures)


def _skip_reason(path: Path) -> str | None:
    name = path.name
    if name.startswith("~$") or name.startswith(".~lock"):
        return t("skip-lock-file")
    if name.startswith("."):
        return t("skip-hidden")
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return t("skip-not-spreadsheet")
    return None


def walk(folder: Path) -> Iterator[tuple[Path, str | None]]:
    """Every file under ``folder`` in a stable order, with a reason when it is skipped.

    Symbolic links to folders are followed once; a link back to a folder already seen is a loop.
    """
    seen: set[tuple[int, int]] = set()

    def visit(directory: Path) -> Iterator[tuple[Path, str | None]]:
        try:
            stat = directory.stat()
        except OSError:
            yield directory, t("skip-symlink-loop")
            return
        if (stat.st_dev, stat.st_ino) in seen:
            yield directory, t("skip-symlink-loop")
            return
        seen.add((stat.st_dev, stat.st_ino))
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
                is_file = entry.is_file(follow_symlinks=True)
            except OSError:
                is_dir = is_file = False
            if is_dir:
                if entry.name.startswith("."):
                    continue
                yield from visit(path)
            elif is_file:
                yield path, _skip_reason(path)
            else:
                yield path, t("skip-symlink-loop") if entry.is_symlink() else t("skip-not-a-file")

    yield from visit(folder)


def examine(path: Path, data: bytes, setup: Setup, modified: datetime | None, sha256: str) -> Examined:
    """Read, identify and check one file (``sha256``: of ``data``), without the store. Never raises for a bad file."""
    shown_path = display_path(path)
    result = Examined(shown_path, sha256, len(data), file_modified=modified)
    result.received_on = setup.received or (modified.date() if modified else None)
    result.date_source = "stated" if setup.received else "file" if modified else ""
    where = Where(shown_path)
    try:
        sub = read_submission(path, data)
    except ReadFailure as failure:
        result.findings.append(where.finding(failure.code, detail=failure.detail, **failure.fields))
        return result
    campaign, registry = setup.campaign, setup.registry
    identity = identify(sub, registry, campaign, setup.expected_round)
    # identify names the file by str(path); what is shown must also survive a name that is not UTF-8.
    result.findings.extend(
        identity.findings if shown_path == str(path) else [replace(f, file=shown_path) for f in identity.findings]
    )
    result.sheet = sub.sheet
    result.preparer, result.phone = sub.preparer, sub.phone
    result.identified_by = identity.unit_by
    if identity.unit is None:
        return result
    result.unit_code, result.round = identity.unit.code, identity.round
    where = Where(shown_path, sub.sheet, identity.unit.code, identity.round)
    result.findings = [replace(f, unit=identity.unit.code, round=identity.round) for f in result.findings]
    members = [spec.unit for spec in form.layout_for(identity.unit, registry).rows]
    result.findings.extend(check_columns(sub, members, where))
    rows, value_findings = read_values(sub, members, where)
    result.rows = rows
    result.findings.extend(f for f in value_findings if f.code != "legacy-encoding" or not _has(result, f.code))
    result.findings.extend(check_consistency(rows, where))
    result.findings.extend(check_total(sub, rows, members, where))
    if identity.round is not None:
        rnd = campaign.round(identity.round)
        confirmed = setup.expected_round is not None
        typed, date_findings = check_report_date(
            parse_date(sub.report_date), sub.report_date_cell, rnd, campaign, setup.today, confirmed, where
        )
        result.findings.extend(date_findings)
        if typed is not None:
            result.report_date, result.date_source = typed, "typed"
        result.findings.extend(check_targets(rows, campaign, rnd, where))
        result.findings.extend(check_late(result.effective_date, result.date_source, rnd, where))
    return result


def _has(examined: Examined, code: str) -> bool:
    return any(f.code == code for f in examined.findings)


def examine_file(job: Job, setup: Setup) -> Examined:
    """In a worker: read the file once, examine it, send its bytes along for the store.

    A file whose SHA-256 is in ``setup.known`` (the store holds it, accepted or superseded) is not
    examined: its verdict is "already received" whatever it says, so an officer who runs ingest again
    on the same folder waits only for the new files. A file held as rejected is examined again.
    """
    try:
        data = job.path.read_bytes()
    except OSError as exc:
        examined = Examined(display_path(job.path), "", 0, index=job.index)
        examined.findings.append(Where(examined.shown_path).finding("file-unreadable", detail=exc.strerror or str(exc)))
        return examined
    sha256 = hashlib.sha256(data).hexdigest()
    if sha256 in setup.known:
        return Examined(display_path(job.path), sha256, len(data), index=job.index)
    examined = examine(job.path, data, setup, job.modified, sha256)
    examined.index = job.index
    examined.data = data
    return examined


def compare(examined: Examined, store: Store, campaign: Campaign) -> list[Finding]:
    """Checks against what the store already holds: earlier rounds and the other communes."""
    if examined.has_errors or examined.unit_code is None or examined.round is None:
        return []
    where = Where(examined.shown_path, examined.sheet, examined.unit_code, examined.round)
    previous_round, previous = store.previous_counts(examined.unit_code, examined.round)
    findings = check_history(examined.rows, previous, previous_round, campaign, where)
    residents_rows = [r for r in examined.rows if r.unit.has_residents]
    if residents_rows:
        others = store.share_stats(examined.round, exclude=examined.unit_code)
        findings.extend(check_outlier(residents_rows, others, campaign, where))
    return findings


def _modified(mtime: float) -> datetime | None:
    try:
        return datetime.fromtimestamp(mtime).replace(microsecond=0)
    except (OSError, ValueError, OverflowError):
        return None


def display_path(path: Path) -> str:
    """The path as text that can always be printed and stored (a name that is not valid UTF-8 included)."""
    return os.fsencode(path).decode("utf-8", "replace")


def ingest_entries(
    entries: Iterable[tuple[Path, str | None]],
    workspace: Workspace,
    campaign: Campaign,
    registry: Registry,
    expected_round: int | None = None,
    *,
    progress: Callable[[], None] | None = None,
    now: datetime | None = None,
    workers: int | None = None,
    received: date | None = None,
) -> BatchReport:
    """Ingest the files ``walk`` listed into the workspace's store; one bad file never stops the run.

    Files are examined in worker processes (a time limit and a memory cap per file); the store is
    written here, each file all or nothing, in the order of ``entries``. ``received``: the day the
    officer says these files arrived, used where a form has no usable report date.
    """
    report = BatchReport()
    moment = now or datetime.now()
    received_at = moment.isoformat(timespec="seconds")
    ready: dict[int, FileReport] = {}
    sources: dict[int, Job] = {}
    emitted = 0

    def emit_ready() -> None:
        nonlocal emitted
        while emitted in ready:
            report.files.append(ready.pop(emitted))
            emitted += 1
            if progress is not None:
                progress()

    def jobs() -> Iterator[Job]:
        for index, (path, reason) in enumerate(entries):
            outcome = _prepare(index, path, reason)
            if isinstance(outcome, Job):
                sources[index] = outcome
                yield outcome
            else:
                ready[index] = outcome

    setup = Setup(registry, campaign, expected_round, moment.date(), received, KnownFiles(workspace.store_path))
    work = functools.partial(examine_file, setup=setup)
    with Store(workspace.store_path) as store:
        for examined in examine_all(jobs(), work, _failed, workers=workers or default_workers()):
            job = sources.pop(examined.index)
            if examined.trace:
                report.error_log = _log_failure(workspace, job, examined.trace, moment)
            ready[job.index] = _record(job, examined, store, setup, received_at)
            emit_ready()
        emit_ready()
    return report


def _failed(job: Job, code: str, detail: str) -> Examined:
    """The verdict of a file whose worker gave no result: stopped (time, memory), died, or our own bug."""
    examined = Examined(display_path(job.path), "", 0, index=job.index)
    if code == "internal-error":
        examined.trace, detail = detail, detail.strip().splitlines()[-1] if detail.strip() else ""
    else:
        detail = _failure_detail(detail)
    examined.findings.append(Where(examined.shown_path).finding(code, detail=detail))
    return examined


def _failure_detail(detail: str) -> str:
    """The words for a worker failure's detail code (crashed, memory, timeout:20)."""
    name, _, value = detail.partition(":")
    return t(f"detail-{name}", seconds=value) if f"detail-{name}" in _DETAILS else detail


_DETAILS = {"detail-crashed", "detail-memory", "detail-timeout"}


def _log_failure(workspace: Workspace, job: Job, trace: str, moment: datetime) -> Path | None:
    """Append the tool's own failure on a file to the workspace's error log; its path, or None if unwritable."""
    path = workspace.root / ERROR_LOG
    try:
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {moment.isoformat(timespec='seconds')} {display_path(job.path)}\n{trace}\n")
    except OSError:
        return None
    return path


def ingest_folder(
    folder: Path,
    workspace: Workspace,
    campaign: Campaign,
    registry: Registry,
    expected_round: int | None = None,
    workers: int | None = None,
    received: date | None = None,
) -> BatchReport:
    """The whole run without a progress bar, for scripts and tests."""
    return ingest_entries(
        walk(folder), workspace, campaign, registry, expected_round, workers=workers, received=received
    )


def _prepare(index: int, path: Path, reason: str | None) -> Job | FileReport:
    """What needs no examination (skipped, too large, gone) is decided here; the rest becomes a job."""
    shown_path = display_path(path)
    if reason is not None:
        return FileReport(shown_path, Verdict.SKIPPED, reason=reason)
    try:
        stat = path.stat()
    except OSError as exc:
        finding = Where(shown_path).finding("file-unreadable", detail=exc.strerror or str(exc))
        return FileReport(shown_path, Verdict.REJECTED, findings=[finding])
    if stat.st_size > MAX_FILE_BYTES:
        finding = Where(shown_path).finding("file-too-large", detail=f"{stat.st_size // (1024 * 1024)} MB")
        return FileReport(shown_path, Verdict.REJECTED, findings=[finding])
    return Job(index, path, _modified(stat.st_mtime))


def _record(job: Job, examined: Examined, store: Store, setup: Setup, received_at: str) -> FileReport:
    """Decide the file's verdict against the store, and record it (a failure of the tool's own is not)."""
    shown_path = examined.shown_path
    if examined.trace:
        return _file_report(examined, Verdict.INTERNAL_ERROR, setup.registry)
    if not examined.sha256:  # the worker was stopped on this file: read its bytes here, once
        try:
            examined.data = job.path.read_bytes()
        except OSError as exc:
            finding = Where(shown_path).finding("file-unreadable", detail=exc.strerror or str(exc))
            return FileReport(shown_path, Verdict.REJECTED, findings=[finding])
        examined.sha256, examined.size = hashlib.sha256(examined.data).hexdigest(), len(examined.data)
    known = store.known(examined.sha256)
    if known is not None and (known["status"] != "rejected" or not examined.findings):
        return _already(shown_path, known, setup.registry)
    examined.findings.extend(compare(examined, store, setup.campaign))
    verdict = verdict_for(examined.findings)
    if known is not None and verdict is Verdict.REJECTED:  # sent again, still wrong: said again, recorded once
        again = _file_report(examined, verdict, setup.registry)
        again.reason = str(known["source_path"])
        return again
    status, supersedes, superseded_by = "rejected", None, None
    if verdict is not Verdict.REJECTED:
        status, supersedes, superseded_by = _precedence(examined, store)
        verdict = verdict_for(examined.findings)
    recorded = store.record(
        _new_submission(examined, job, verdict, received_at),
        examined.data,
        status=status,
        supersedes=supersedes,
        superseded_by=superseded_by,
        replaces=known["id"] if known is not None else None,
    )
    if recorded is None:  # the same bytes were recorded meanwhile (earlier in this run, or another process)
        known = store.known(examined.sha256) or {}
        if known.get("status") == "rejected" and verdict is Verdict.REJECTED:
            again = _file_report(examined, verdict, setup.registry)
            again.reason = str(known["source_path"])
            return again
        return _already(shown_path, known, setup.registry)
    done = _file_report(examined, verdict, setup.registry)
    done.submission_id = recorded.id
    return done


def _precedence(examined: Examined, store: Store) -> tuple[str, int | None, int | None]:
    """(status, id it supersedes, id it is superseded by) of an acceptable report, by rules.choose_report."""
    if examined.unit_code is None or examined.round is None:
        return "accepted", None, None
    current = store.current(examined.unit_code, examined.round)
    if current is None:
        return "accepted", None, None
    current_id, candidate = current
    where = Where(examined.shown_path, examined.sheet, examined.unit_code, examined.round)
    choice = choose_report(examined.candidate(), candidate, where)
    examined.findings.extend(choice.findings)
    return ("accepted", current_id, None) if choice.new_counts else ("superseded", None, current_id)


def _new_submission(examined: Examined, job: Job, verdict: Verdict, received_at: str) -> NewSubmission:
    return NewSubmission(
        sha256=examined.sha256,
        size=examined.size,
        source_path=examined.shown_path,
        suffix=job.path.suffix,
        received_at=received_at,
        report_date=examined.report_date,
        unit_code=examined.unit_code,
        round=examined.round,
        accepted=verdict is not Verdict.REJECTED,
        verdict=verdict.value,
        identified_by=examined.identified_by,
        sheet=examined.sheet,
        preparer=examined.preparer,
        phone=examined.phone,
        rows=[StoredRow(r.unit.code, r.row, r.counts) for r in examined.rows],
        findings=examined.findings,
        received_on=examined.received_on,
        date_source=examined.date_source,
        file_modified=examined.file_modified,
    )


def _file_report(examined: Examined, verdict: Verdict, registry: Registry) -> FileReport:
    unit = registry.get(examined.unit_code) if examined.unit_code else None
    return FileReport(
        examined.shown_path,
        verdict,
        examined.unit_code or "",
        unit.name if unit else "",
        examined.round,
        examined.identified_by,
        findings=list(examined.findings),
        sha256=examined.sha256,
        sheet=examined.sheet,
        report_date=examined.effective_date,
        date_source=examined.date_source,
    )


def _already(path: str, known: dict[str, object], registry: Registry) -> FileReport:
    code = str(known.get("unit_code") or "")
    unit = registry.get(code) if code else None
    rnd = known.get("round")
    return FileReport(
        path,
        Verdict.ALREADY_RECEIVED,
        code,
        unit.name if unit else "",
        rnd if isinstance(rnd, int) else None,
        reason=str(known.get("source_path", "")),
    )
