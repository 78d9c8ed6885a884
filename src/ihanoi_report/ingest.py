"""One ingest run: walk a folder, examine every file in the sandbox, decide which report counts, record.

``examine`` is pure (bytes in, a Report out); ``examine_file`` wraps it for the sandbox's workers, which
read and hash each file themselves and send its bytes back with the report. The store is written only
in this process, each file all or nothing, original bytes included.
"""

from __future__ import annotations

import functools
import hashlib
import os
import zipfile
import zlib
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ihanoi_report import checks, form
from ihanoi_report.checks import Examined, ShareBook, Stored, Where, choose_report
from ihanoi_report.config import Campaign, Workspace
from ihanoi_report.identify import identify, units_in_file_name
from ihanoi_report.model import (
    KIND_CONSOLIDATED,
    KIND_FEEDBACK,
    KIND_FORM,
    DateSource,
    Finding,
    FormData,
    IngestResult,
    Report,
    Status,
    Verdict,
    verdict_for,
)
from ihanoi_report.reader import MAX_FILE_BYTES, SPREADSHEET_SUFFIXES, ReadFailure, read_form, too_large
from ihanoi_report.safe_text import for_terminal
from ihanoi_report.sandbox import Job, default_workers, run_all
from ihanoi_report.store import Store
from ihanoi_report.units import Registry

ERROR_LOG = "ihanoi-report-loi.log"  # in the workspace: the tool's own failures, with their tracebacks


@dataclass(frozen=True)
class Setup:
    """What every examination of a run shares; sent once to each worker."""

    registry: Registry
    campaign: Campaign
    expected_round: int | None  # the round the officer stated (--round), if any
    today: date
    received: date | None = None  # the day the officer says the batch arrived (--received), if any
    settled: Container[str] = frozenset()  # digests of files the store holds as accepted or superseded


class Entry(NamedTuple):
    """One thing ``walk`` found: a file, or (``member``) a workbook inside the .zip at ``path``; ``reason``: why it
    is skipped or refused (a code), None when it is to be examined."""

    path: Path
    reason: str | None
    member: str = ""
    size: int = 0  # a member's, as the archive's directory says

    @property
    def source(self) -> Path:
        return member_path(self.path, self.member)


def member_path(archive: Path, member: str) -> Path:
    """Where a member of ``archive`` is said to be: the archive's path, then the member's folders and name
    (``bao-cao.zip/Lan 1/iHanoi-lan-1_XA-09694.xlsx``); a name that climbs out ("../", "/") is kept inside.
    Only ever shown and stored as the file's name: nothing is extracted."""
    if not member:
        return archive
    parts = PurePosixPath(member.replace("\\", "/")).parts
    return archive.joinpath(*(part for part in parts if part not in ("/", "..")))


# An archive a clerk or a unit sends instead of its workbooks: a .zip is read; the others cannot be opened here.
ARCHIVE_SUFFIXES = frozenset({".zip", ".rar", ".7z"})
MAX_ARCHIVE_MEMBERS = 5000  # a city's returns in one archive, with room; more is not an inbox's archive


def _skip_reason(path: PurePosixPath | Path) -> str | None:
    name = path.name
    if name.startswith("~$") or name.startswith(".~lock"):
        return "lock-file"
    if name.startswith("."):
        return "hidden"
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return "not-spreadsheet"
    return None


def _archive(path: Path) -> list[Entry]:
    """An archive's own entry, then one per file in it, by name, each with the reason a loose file of its kind
    gets. The own entry says the workbooks follow (skipped itself), or that it holds none, or refuses it: a .rar
    or .7z, a .zip that cannot be opened, or an archive inside one holds reports the tool cannot read, and the
    officer is told so, never left to find them missing."""
    if path.suffix.lower() != ".zip":
        return [Entry(path, "archive-unopened")]
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return [Entry(path, None)]  # examined as a file: too large, said as for any file
        with zipfile.ZipFile(path) as archive:
            listed = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return [Entry(path, "archive-unreadable")]
    if len(listed) > MAX_ARCHIVE_MEMBERS:
        return [Entry(path, "archive-unreadable")]
    members = []
    for info in sorted((i for i in listed if not i.is_dir()), key=lambda i: i.filename):
        if "__MACOSX" in (inside := PurePosixPath(info.filename)).parts:  # a Mac's litter, never a clerk's file
            continue
        reason = _skip_reason(inside)
        if reason == "not-spreadsheet" and inside.suffix.lower() in ARCHIVE_SUFFIXES:
            reason = "archive-unopened"
        members.append(Entry(path, reason, info.filename, info.file_size))
    own = "archive-read" if any(member.reason is None for member in members) else "archive-no-spreadsheet"
    return [Entry(path, own), *members]


def walk(folder: Path, outputs: Collection[Path] = ()) -> Iterator[Entry]:
    """Every file under ``folder`` in a stable order (depth first, by name), with a reason (a code) when it is
    skipped; the workbooks in a .zip follow the archive's own entry.

    Iterative, so a folder nested a thousand deep is walked like any other. A link is followed only to a file
    or folder inside ``folder`` (a link out of the inbox could bring in any file of the computer), and a folder
    reached twice is a loop. ``outputs``: this run's own output files and folders, when they lie inside the
    inbox: skipped, never read as returns.
    """
    root = folder.resolve()
    own = {Path(os.path.abspath(p)) for p in outputs}
    seen: set[tuple[int, int]] = set()
    stack: list[Iterator[os.DirEntry[str]]] = []

    def enter(directory: Path) -> str | None:
        try:
            stat = directory.stat()
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            return "symlink-loop"
        if (stat.st_dev, stat.st_ino) in seen:
            return "symlink-loop"
        seen.add((stat.st_dev, stat.st_ino))
        stack.append(iter(entries))
        return None

    enter(folder)
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        path = Path(entry.path)
        if own and Path(os.path.abspath(path)) in own:
            yield Entry(path, "own-output")
            continue
        if entry.is_symlink() and not _inside(path, root):
            yield Entry(path, "link-outside")
            continue
        try:
            is_dir, is_file = entry.is_dir(follow_symlinks=True), entry.is_file(follow_symlinks=True)
        except OSError:
            is_dir = is_file = False
        if is_dir:
            if not entry.name.startswith(".") and (reason := enter(path)) is not None:
                yield Entry(path, reason)
        elif is_file:
            reason = _skip_reason(path)
            if reason == "not-spreadsheet" and path.suffix.lower() in ARCHIVE_SUFFIXES:
                yield from _archive(path)
            else:
                yield Entry(path, reason)
        else:
            yield Entry(path, "symlink-loop" if entry.is_symlink() else "not-a-file")


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a loop of links
        return False


def examine(path: Path, data: bytes, setup: Setup, modified: datetime | None, sha256: str) -> Report:
    """Read, identify and check one file (``sha256``: of ``data``), without the store. Never raises for a bad file."""
    report = Report(display_path(path), sha256=sha256, size=len(data), suffix=path.suffix, file_modified=modified)
    report.received_on = setup.received or (modified.date() if modified else None)
    report.date_source = DateSource.STATED if setup.received else DateSource.FILE if modified else DateSource.UNKNOWN
    if path.suffix.lower() in LOOKALIKE_SUFFIXES:
        return _not_a_workbook(report, path, setup)
    try:
        sub = read_form(path, data, setup.campaign.declared)
    except ReadFailure as failure:
        if failure.code == "tool-output":  # our own error list or ranking: not a unit's report, not its fault
            report.verdict, report.reason = Verdict.SKIPPED, "tool-output"
            return report
        report.findings.append(Where(report.path).finding(failure.code, detail=failure.detail, **failure.fields))
        report.round = setup.expected_round  # the officer said which round this batch is: it counts there
        return report
    if _own_consolidation(sub.meta, setup.campaign):  # this office's own workbook for the level above, dropped in
        report.verdict, report.reason = Verdict.SKIPPED, "tool-output"
        return report
    report.copy_of = sub.meta.get("copy_of", "") if sub.meta.get("kind") == KIND_FEEDBACK else ""
    identity = identify(sub, setup.registry, setup.campaign, setup.expected_round)
    report.sheet, report.preparer, report.phone = sub.sheet, sub.preparer, sub.phone
    report.identified_by = identity.unit_by
    # identify names the file by str(path); what is shown must also survive a name that is not UTF-8.
    report.findings = [replace(f, file=report.path) for f in identity.findings]
    if identity.unit is None:
        return report
    report.unit, report.unit_name, report.round = identity.unit.code, identity.unit.name, identity.round
    if sub.meta.get("kind") == KIND_FORM and nothing_filled(sub):  # the blank form itself: the unit has not reported
        report.verdict, report.reason, report.findings = Verdict.SKIPPED, "blank-form", []
        return report
    where = Where(report.path, sub.sheet, report.unit, report.round)
    report.findings = [replace(f, unit=report.unit, round=report.round) for f in report.findings]
    members = [row.unit for row in form.layout_for(identity.unit, setup.registry).rows]
    said = frozenset(f.code for f in report.findings)
    report.findings += checks.run(Examined(sub, members, setup.campaign, where, report, setup.today,
                                           confirmed=setup.expected_round is not None, said=said))
    return report


def nothing_filled(sub: FormData) -> bool:
    """Nothing typed on the form: no figure in any row (the total row holds the template's own formulas, whose
    saved result is 0), no number beside the table, no report date, preparer or phone, no figures on another
    sheet. The officer who ingests the folder of blank forms, or a clerk who sends the blank back, has not
    reported: "sent back" would be untrue."""
    def blank(value: object) -> bool:  # not values.is_blank: a "-" the clerk typed is something typed
        return value is None or (isinstance(value, str) and not value.strip())

    return (all(blank(v) for row in (*sub.rows, *sub.subtotals) for v in row.cells.values())
            and (sub.total is None or all(blank(v) or v == 0 for v in sub.total.cells.values()))
            and blank(sub.report_date) and blank(sub.preparer) and blank(sub.phone) and not sub.elsewhere
            and not sub.loose_count)


def _own_consolidation(meta: Mapping[str, str], campaign: Campaign) -> bool:
    """A consolidated workbook this office wrote (its unit is this office's code in the level above, its campaign
    that level's): the tool's own output, never a unit's return. A lower office's workbook carries its own code."""
    level = campaign.level
    return (meta.get("kind") == KIND_CONSOLIDATED and bool(level.unit) and meta.get("unit_code") == level.unit
            and meta.get("campaign_id") == level.parent_campaign)


# What a clerk sends instead of the workbook: a photo or scan of the printed form, a PDF, a CSV export.
LOOKALIKE_SUFFIXES = frozenset({".csv", ".pdf", ".jpg", ".jpeg", ".png", ".heic", ".webp", ".doc", ".docx", ".txt"})


def _not_a_workbook(report: Report, path: Path, setup: Setup) -> Report:
    """A photo, PDF or CSV whose name names one unit is that unit's return in the wrong form: sent back, asking
    for the Excel file (it counts in the exit code and the reminders); one that names no unit is only skipped."""
    units = units_in_file_name(path.stem, setup.registry)
    if len(units) != 1:
        report.verdict, report.reason = Verdict.SKIPPED, "not-spreadsheet"
        return report
    report.unit, report.unit_name = units[0].code, units[0].name
    report.round = setup.expected_round or form.round_in_text(path.stem)
    if report.round not in {r.number for r in setup.campaign.rounds}:
        report.round = None
    report.identified_by = "file-name"
    where = Where(report.path, "", report.unit, report.round)
    report.findings.append(where.finding("not-a-workbook", value=path.suffix.lower(), suffix=path.suffix.lower()))
    return report


def examine_file(job: Job, setup: Setup) -> Report:
    """In a worker: read the file once, examine it, send its bytes along for the store.

    A file whose SHA-256 is in ``setup.settled`` (the store holds it, accepted or superseded) is not
    examined: its verdict is "already received" whatever it says, so an officer who runs ingest again on
    the same folder waits only for the new files. A file held as rejected is examined again.
    """
    try:
        data, modified = read_job(job)
    except ReadFailure as failure:
        return _unreadable(job, failure)
    sha256 = hashlib.sha256(data).hexdigest()
    if sha256 in setup.settled:
        report = Report(display_path(_source(job)), sha256=sha256, size=len(data), index=job.index)
    else:
        report = examine(_source(job), data, setup, modified, sha256)
        report.index, report.data = job.index, data
    return report


def _source(job: Job) -> Path:
    return member_path(job.path, job.payload)


def read_job(job: Job) -> tuple[bytes, datetime | None]:
    """The bytes of the job's file (of its member, in a .zip) and when it was last changed; ReadFailure with
    the finding's code when they cannot be read."""
    if not job.payload:
        try:
            return job.path.read_bytes(), job.modified
        except OSError as exc:
            raise ReadFailure("file-unreadable", exc.strerror or str(exc)) from None
    try:
        archive = _open_archive(job.path)
        info = archive.getinfo(job.payload)
        if info.flag_bits & 0x1:
            raise ReadFailure("file-encrypted")
        if info.file_size > MAX_FILE_BYTES:
            raise too_large(info.file_size)
        with archive.open(info) as member:
            data = member.read(MAX_FILE_BYTES + 1)  # never more than the limit, whatever the directory says
    except (OSError, zipfile.BadZipFile, KeyError, NotImplementedError, RuntimeError, zlib.error, EOFError) as exc:
        raise ReadFailure("file-unreadable", str(exc) or type(exc).__name__) from None
    if len(data) > MAX_FILE_BYTES:
        raise too_large(len(data))
    try:
        modified: datetime | None = datetime(*info.date_time)
    except ValueError:
        modified = None
    return data, modified


_opened: tuple[tuple[Path, int, int], zipfile.ZipFile] | None = None  # the archive read last, in this process


def _open_archive(path: Path) -> zipfile.ZipFile:
    """The .zip at ``path``, kept open while its members are read one after another: opening it reads its whole
    directory again, and a thousand members took four times the run. A changed file is opened again."""
    global _opened
    stat = path.stat()
    key = (path, stat.st_size, stat.st_mtime_ns)
    if _opened is None or _opened[0] != key:
        close_archive()
        _opened = (key, zipfile.ZipFile(path))
    return _opened[1]


def close_archive() -> None:
    """Close the archive _open_archive kept (the end of a run in this process; a worker's closes with it)."""
    global _opened
    if _opened is not None:
        _opened[1].close()
        _opened = None


def _unreadable(job: Job, failure: ReadFailure) -> Report:
    report = Report(display_path(_source(job)), Verdict.REJECTED, index=job.index)
    report.findings.append(Where(report.path).finding(failure.code, detail=failure.detail, **failure.fields))
    return report


def display_path(path: Path) -> str:
    """The path as text that can always be printed and stored: a name that is not valid UTF-8 included, and a
    newline, an ESC or a right-to-left override in a name shown as a visible escape (never a second line)."""
    return for_terminal(os.fsencode(path).decode("utf-8", "replace"), lines=False)


def _modified(mtime: float) -> datetime | None:
    try:
        return datetime.fromtimestamp(mtime).replace(microsecond=0)
    except (OSError, ValueError, OverflowError):
        return None


class _Run:
    """The main process's side of one run: decide each file's verdict against the store, and record it."""

    def __init__(self, store: Store, workspace: Workspace, setup: Setup, moment: datetime) -> None:
        self.store, self.workspace, self.setup, self.moment = store, workspace, setup, moment
        self.books: dict[tuple[int, str], ShareBook] = {}  # each round's outlier shares, for the outlier check
        self.error_log: Path | None = None

    def book(self, round_number: int, share: str) -> ShareBook:
        if (round_number, share) not in self.books:
            self.books[round_number, share] = ShareBook(self.store.counts_in_use(round_number),
                                                        self.setup.campaign.declared, share)
        return self.books[round_number, share]

    def outlier_shares(self) -> list[str]:
        return [share.key for share in self.setup.campaign.declared.outlier_shares]

    def settle(self, job: Job, report: Report) -> Report:
        """The file's final report, recorded unless the tool failed on it or the store holds it already."""
        if report.trace:
            self.error_log = _log_failure(self.workspace, report, self.moment) or self.error_log
            return self._done(report, Verdict.INTERNAL_ERROR)
        if report.verdict is Verdict.SKIPPED or self._unchanged_copy(report):
            return self._skipped(report)
        if not report.sha256:  # the worker was stopped on this file: read its bytes here, once
            try:
                report.data = read_job(job)[0]
            except ReadFailure as failure:
                return _unreadable(job, failure)
            report.sha256, report.size = hashlib.sha256(report.data).hexdigest(), len(report.data)
        held = self.store.held(report.sha256)
        if held is not None and (held.status is not Status.REJECTED or not report.findings):
            return _already(report.path, held, self.setup.registry)
        report.findings += self.compare(report)
        verdict = verdict_for(report.findings)
        if held is not None and verdict is Verdict.REJECTED:  # sent again, still wrong: said again, recorded once
            return self._done(report, verdict, earlier=held.path)
        return self._record(report, verdict, held)

    def _unchanged_copy(self, report: Report) -> bool:
        """A feedback copy as the tool wrote it (its figures still those of the file it was made from) is the
        tool's output, never a return; once the clerk has changed a figure in it, it is the unit's new report."""
        if not report.copy_of:
            return False
        before = self.store.rows_of(report.copy_of)
        if before is None or {r.unit: r.counts for r in before} == report.figures:
            report.reason = "feedback-unchanged" if before is not None else "tool-output"
            return True
        return False

    @staticmethod
    def _skipped(report: Report) -> Report:
        report.verdict, report.findings, report.rows, report.data = Verdict.SKIPPED, [], [], b""
        report.reason = report.reason or "tool-output"
        return report

    def _record(self, report: Report, verdict: Verdict, held: Report | None) -> Report:
        status, supersedes, superseded_by = Status.REJECTED, None, None
        if verdict is not Verdict.REJECTED:
            status, supersedes, superseded_by = self.precedence(report)
            verdict = verdict_for(report.findings)
        report.verdict, report.received_at = verdict, self.moment.isoformat(timespec="seconds")
        sid = self.store.record(
            report,
            status=status,
            supersedes=supersedes,
            superseded_by=superseded_by,
            replaces=held.id if held is not None else None,
        )
        if sid is None:  # the same bytes were recorded meanwhile (earlier in this run, or another process)
            held = self.store.held(report.sha256)
            if held is not None and held.status is Status.REJECTED and verdict is Verdict.REJECTED:
                return self._done(report, verdict, earlier=held.path)
            return _already(report.path, held, self.setup.registry)
        if status is Status.ACCEPTED and report.round is not None:
            for share in self.outlier_shares():
                self.book(report.round, share).take(report.rows)
        report.id, report.status = sid, status
        return self._done(report, verdict)

    def compare(self, report: Report) -> list[Finding]:
        """Checks against what the store already holds: earlier rounds and the other communes."""
        if report.has_errors or not report.unit or report.round is None:
            return []
        rnd = report.round
        return checks.run(Stored(
            report, self.setup.campaign, self.setup.registry, Where(report.path, report.sheet, report.unit, rnd),
            previous=lambda: self.store.previous_counts(report.unit, rnd),
            book=lambda share: self.book(rnd, share),
            elsewhere=lambda subs: self.store.elsewhere(rnd, report.unit, subs),
        ))

    def precedence(self, report: Report) -> tuple[Status, int | None, int | None]:
        """(status, id it supersedes, id it is superseded by) of an acceptable report, by checks.choose_report."""
        current = self.store.current(report.unit, report.round) if report.round is not None else None
        if current is None:
            return Status.ACCEPTED, None, None
        choice = choose_report(report, current, Where(report.path, report.sheet, report.unit, report.round))
        report.findings += choice.findings
        return (Status.ACCEPTED, current.id, None) if choice.new_counts else (Status.SUPERSEDED, None, current.id)

    @staticmethod
    def _done(report: Report, verdict: Verdict, earlier: str = "") -> Report:
        report.verdict, report.earlier, report.data = verdict, earlier, b""
        return report


def _already(path: str, held: Report | None, registry: Registry) -> Report:
    unit = registry.get(held.unit) if held is not None and held.unit else None
    return Report(
        path,
        Verdict.ALREADY_RECEIVED,
        unit.code if unit else "",
        unit.name if unit else "",
        held.round if held is not None else None,
        earlier=held.path if held is not None else "",
        sha256=held.sha256 if held is not None else "",
    )


def _log_failure(workspace: Workspace, report: Report, moment: datetime) -> Path | None:
    """Append the tool's own failure on a file to the workspace's error log; its path, or None if unwritable."""
    path = workspace.root / ERROR_LOG
    try:
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {moment.isoformat(timespec='seconds')} {report.path}\n{report.trace}\n")
    except OSError:
        return None
    return path


def _failed(job: Job, code: str, detail: str) -> Report:
    """The report of a file whose worker gave none: stopped (time, memory), died, or a bug of ours."""
    report = Report(display_path(_source(job)), Verdict.REJECTED, index=job.index)
    args: dict[str, str] = {}
    if code == "internal-error":
        report.trace, detail = detail, detail.strip().splitlines()[-1] if detail.strip() else ""
        report.verdict = Verdict.INTERNAL_ERROR
    else:  # the sandbox's detail codes: crashed, memory, timeout:20
        detail, _, seconds = detail.partition(":")
        args = {"seconds": seconds} if seconds else {}
    report.findings.append(Where(report.path).finding(code, detail=detail, **args))
    return report


# An archive's own entry that is refused: its reports are not received, and the officer is told what to do.
ARCHIVE_REFUSED = frozenset({"archive-unopened", "archive-unreadable"})


def _prepare(index: int, entry: Entry) -> Job | Report:
    """What needs no examination (skipped, refused, too large, gone) is decided here; the rest becomes a job."""
    path, reason, suffix = entry.path, entry.reason, entry.source.suffix.lower()
    shown_path = display_path(entry.source)
    if reason in ARCHIVE_REFUSED:
        finding = Where(shown_path).finding(reason, value=suffix, suffix=suffix)
        return Report(shown_path, Verdict.REJECTED, findings=[finding])
    if reason is not None and not (reason == "not-spreadsheet" and suffix in LOOKALIKE_SUFFIXES):
        return Report(shown_path, Verdict.SKIPPED, reason=reason)
    try:
        stat = path.stat()
    except OSError as exc:
        failure = ReadFailure("file-unreadable", exc.strerror or str(exc))
        return _unreadable(Job(index, path, None, entry.member), failure)
    if stat.st_size > MAX_FILE_BYTES and not entry.member:
        failure = too_large(stat.st_size)
        finding = Where(shown_path).finding(failure.code, detail=failure.detail, **failure.fields)
        return Report(shown_path, Verdict.REJECTED, findings=[finding])
    return Job(index, path, _modified(stat.st_mtime), entry.member, entry.size if entry.member else stat.st_size)


def ingest_entries(
    entries: Iterable[Entry],
    workspace: Workspace,
    campaign: Campaign,
    registry: Registry,
    expected_round: int | None = None,
    *,
    progress: Callable[[], None] | None = None,
    on_file: Callable[[Report], None] | None = None,
    now: datetime | None = None,
    workers: int | None = None,
    received: date | None = None,
) -> IngestResult:
    """Ingest the files ``walk`` listed into the workspace's store; one bad file never stops the run.

    Files are examined in the sandbox's workers (a time limit and a memory cap per file); the store is
    written here, each file all or nothing, in the order of ``entries``. ``received``: the day the
    officer says these files arrived, used where a form has no usable report date. ``on_file``: given each
    file's final report as it takes its place in the result, in that order (ingest --json encodes it then).
    """
    result = IngestResult()
    moment = now or datetime.now()
    ready: dict[int, Report] = {}
    sources: dict[int, Job] = {}

    def jobs() -> Iterator[Job]:
        for index, entry in enumerate(entries):
            outcome = _prepare(index, entry)
            if isinstance(outcome, Job):
                sources[index] = outcome
                yield outcome
            else:
                ready[index] = outcome

    def emit_ready() -> None:
        while len(result.files) in ready:
            result.files.append(report := ready.pop(len(result.files)))
            if on_file is not None:
                on_file(report)
            if progress is not None:
                progress()

    with Store(workspace.store_path) as store:
        store.check_form(campaign.declared.keys, keep=True)
        setup = Setup(registry, campaign, expected_round, moment.date(), received, store.settled())
        work = functools.partial(examine_file, setup=setup)
        run = _Run(store, workspace, setup, moment)
        try:
            for report in run_all(jobs(), work, _failed, workers=workers or default_workers()):
                job = sources.pop(report.index)
                ready[job.index] = run.settle(job, report)
                emit_ready()
        finally:
            close_archive()
        emit_ready()
        _mark_answered(result, store)
    result.error_log = run.error_log
    return result


def _mark_answered(result: IngestResult, store: Store) -> None:
    """Each file sent back before and found in the folder again, whose unit has since sent a file that was
    received (in this run too): nothing to tell the unit. Asked of the store once the whole run is committed,
    so that the answer does not hang on which of the two files settled first."""
    again = [r for r in result.files if r.verdict is Verdict.REJECTED and r.earlier and r.sha256]
    if not again:
        return
    store.commit()
    for report in again:
        if (held := store.held(report.sha256)) is not None and (answer := store.answer_to(held)):
            report.answered_by = answer


def ingest_folder(
    folder: Path,
    workspace: Workspace,
    campaign: Campaign,
    registry: Registry,
    expected_round: int | None = None,
    workers: int | None = None,
    received: date | None = None,
) -> IngestResult:
    """The whole run without a progress bar, for scripts and tests."""
    return ingest_entries(
        walk(folder), workspace, campaign, registry, expected_round, workers=workers, received=received
    )
