"""The only module below the CLI that talks to the terminal: consoles, tables, panels, progress.

Results go to stdout; progress, notices and errors go to stderr. rich is imported where something
is drawn for a person: a run whose output goes to a program or a file (``--json``, a pipe, a log)
gets plain lines and does not pay ~50 ms to import it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path, PurePath
from typing import IO, TYPE_CHECKING, Any

from ihanoi_report.errors import IhanoiError
from ihanoi_report.messages import t, t_example
from ihanoi_report.safe_text import for_terminal

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from ihanoi_report.config import RankingInput
    from ihanoi_report.consolidate import Consolidation
    from ihanoi_report.form_spec import Share
    from ihanoi_report.model import Closure, IngestResult, Report
    from ihanoi_report.office import RoundPack, StatusView
    from ihanoi_report.ranking import Ranking


def _width() -> int | None:
    # Tests and CI pin the width so that wrapping never changes what they assert.
    value = os.environ.get("IHANOI_WIDTH")
    return int(value) if value and value.isdigit() else None


def stdout() -> Console:
    from rich.console import Console

    return Console(width=_width(), highlight=False)


def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, width=_width(), highlight=False)


def render_outputs(report: Path | None, copies: Sequence[Path], folder: Path | None) -> None:
    """Where the error list and the clerks' copies were written (ingest --report --feedback, feedback)."""
    if report is not None:
        notice(t("report-written", path=report), style="")
    if folder is not None:
        notice(t("feedback-written", count=len(copies), path=folder), style="")


class _GuardedStdout:
    """Standard output that remembers it failed (a full disk, a closed pipe): that failure is the tool's output
    failing, told apart from any other OSError, and said once instead of a traceback."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.failed = False

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except OSError:
            self.failed = True
            raise

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError:
            self.failed = True
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_stdout() -> None:
    if not isinstance(sys.stdout, _GuardedStdout):
        sys.stdout = _GuardedStdout(sys.stdout)


def stdout_broken() -> bool:
    """Whether standard output failed or can no longer be written; if so, it is replaced by nothing, so that
    the interpreter's last flush does not fail again."""
    failed = bool(getattr(sys.stdout, "failed", False))
    try:
        sys.stdout.flush()
    except OSError:
        failed = True
    if failed:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 — lives as long as the process
    return failed


def show_error(error: IhanoiError) -> None:
    """One red panel on stderr: what is wrong, and what to do about it."""
    from rich.panel import Panel
    from rich.text import Text

    body = Text(for_terminal(error.message))
    if error.hint:
        body.append(f"\n{t('hint-prefix')}: ", style="bold")
        body.append(for_terminal(error.hint))
    stderr().print(Panel(body, title=t("error-title"), title_align="left", border_style="red"))


def show_usage_error(usage: str, hint: str, message: str) -> None:
    """A command line Click could not parse: the usage line, where to find help, and what is wrong."""
    from rich.panel import Panel
    from rich.text import Text

    err = stderr()
    err.print(Text(usage))
    err.print(Text(hint, style="dim"))
    err.print(Panel(Text(for_terminal(message)), title=t("error-title"), title_align="left", border_style="red"))


def _line(message: str, style: str, *, err: bool) -> None:
    """One message on its own line: styled at a terminal, plain text anywhere else."""
    stream = sys.stderr if err else sys.stdout
    message = for_terminal(message)  # names, cells and paths of the user's: never a control sequence
    if not stream.isatty():
        stream.write(message + "\n")
        return
    from rich.text import Text

    # Messages carry names and paths of the user's ("Báo cáo [lần 3]"): printed as Text, never read
    # as rich markup, which would drop "[lần 3]" or stop on "[/".
    (stderr() if err else stdout()).print(Text(message, style=style))


def notice(message: str, style: str = "dim") -> None:
    _line(message, style, err=True)


def success(message: str) -> None:
    _line(message, "green", err=False)


def say(message: str) -> None:
    _line(message, "", err=False)


@contextlib.contextmanager
def progress(description: str, total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr; yields a function that advances it by one.

    Nothing is drawn when stderr is not a terminal (a script, a pipe, a log file).
    """
    if not sys.stderr.isatty():
        yield lambda: None
        return
    console = stderr()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        auto_refresh=False,  # no refresh thread: ingest can then fork its workers safely
    )
    done = 0
    last = 0.0

    def advance() -> None:
        # Counted here, drawn ten times a second: rich's own advance costs more than a small file.
        nonlocal done, last
        done += 1
        now = time.monotonic()
        if now - last > 0.1 or done == total:
            bar.update(task, completed=done, refresh=True)
            last = now

    with bar:
        task = bar.add_task(description, total=total)
        yield advance


def table(
    title: str | None, headers: Sequence[str], rows: Sequence[Sequence[object]], *, justify: Sequence[str] | None = None
) -> Table:
    from rich.table import Table
    from rich.text import Text

    tbl = Table(title=title, title_justify="left", header_style="bold")
    for i, header in enumerate(headers):
        # fold, never "…": a long e-mail address or file name is shown whole, on two lines if it must
        tbl.add_column(header, justify=(justify[i] if justify else "left"), overflow="fold")  # type: ignore[arg-type]
    for row in rows:
        tbl.add_row(*(r if isinstance(r, Text) else Text(for_terminal(str(r), lines=False)) for r in row))
    return tbl


def print_json(data: object) -> None:
    """Machine-readable output: indented for a person at a terminal, compact (and fast) for a program."""
    out = sys.stdout
    indent = 2 if out.isatty() else None
    # Plain write: rich must not wrap or colour it.
    import json  # here, not at the top: --help does not need it

    out.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")


def print_ingest_json(result: IngestResult) -> None:
    """ingest --json: print_json(result.to_dict()) to the byte, but written a file at a time for a program, so that
    a run of thousands of files never holds its whole text (nor a dict of every file) at once."""
    out = sys.stdout
    if out.isatty():
        print_json(result.to_dict())
        return
    out.write(_FILES_OPEN)
    for i, report in enumerate(result.files):
        out.write(_file_json(report, first=i == 0))
    out.write(_files_close(result))


_FILES_OPEN = '{"files": ['  # ingest --json: the document opens on its list of files


def _file_json(report: Report, *, first: bool) -> str:
    """One file's object in the list of files, after a comma unless it is the first."""
    import json  # here, not at the top: --help does not need it

    return ("" if first else ", ") + json.dumps(report.to_dict(), ensure_ascii=False)


def _files_close(result: IngestResult) -> str:
    """The end of the list of files, and the rest of the result's dict, as print_json(result.to_dict()) has it."""
    import json

    return "], " + json.dumps(result.to_dict(files=False), ensure_ascii=False)[1:] + "\n"


class IngestJson:
    """ingest --json for a program, encoded while the run goes: each file's object as the run settles it, into a
    temporary file (never all of it in memory), while the workers read the next files; when the run is done
    the document is copied out whole, the same bytes as print_ingest_json. A run that fails prints none of it.

    ``slim``: nothing after the run reads a file's findings and figures (no --report, no --feedback), so once
    its object is written they are let go, and the run's memory does not grow with its files; a file sent back
    before keeps them, as the end of the run may tell more of it (answered_by) and its object is written again.
    """

    def __init__(self, *, slim: bool = False) -> None:
        self._spool: IO[str] | None = None
        self._lengths: list[int] = []  # the characters of each file's object in the spool, in the run's order
        self._slim = slim
        # At a terminal the document is indented, whole, at the end; so is it when the temporary file has no room.
        self._at_the_end = sys.stdout.isatty()

    def __enter__(self) -> IngestJson:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, report: Report) -> None:
        import tempfile

        if self._at_the_end:
            return
        try:
            if self._spool is None:
                self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 — closed by close()
            text = _file_json(report, first=not self._lengths)
            self._spool.write(text)
        except OSError:  # no more room: the files from this one on are encoded at the end, from the run's result
            self._at_the_end = True
            return
        self._lengths.append(len(text))
        if self._slim:
            from ihanoi_report.model import Verdict  # here: --help does not load the record types

            if not (report.verdict is Verdict.REJECTED and report.earlier):
                report.findings, report.rows, report.subtotals = [], [], []

    def write(self, result: IngestResult) -> None:
        """The document, once the run's result is known: each file as it was when it settled, but a file the run
        told more of afterwards (a file sent back that its unit has answered), encoded again."""
        if not self._lengths:
            print_ingest_json(result)
            return
        out = sys.stdout
        out.write(_FILES_OPEN)
        assert self._spool is not None
        self._spool.seek(0)
        for i, report in enumerate(result.files):
            kept = self._spool.read(self._lengths[i]) if i < len(self._lengths) else None
            out.write(kept if kept is not None and not report.answered_by else _file_json(report, first=i == 0))
        out.write(_files_close(result))

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()


_VERDICT_STYLE = {  # by Verdict (a StrEnum: its members are these strings)
    "accepted": "green",
    "accepted-with-warnings": "yellow",
    "rejected": "bold red",
    "skipped": "dim",
    "already-received": "cyan",
    "internal-error": "bold magenta",
}
_SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}


def batch_summary(report: IngestResult) -> str:
    """One sentence: how many files, and how many of each verdict."""
    from ihanoi_report.model import Verdict  # here: --help does not load the record types

    counts = {verdict: report.count(verdict) for verdict in Verdict}
    return t(
        "ingest-summary",
        files=len(report.files),
        accepted=counts[Verdict.ACCEPTED],
        warned=counts[Verdict.ACCEPTED_WITH_WARNINGS],
        rejected=counts[Verdict.REJECTED],
        already=counts[Verdict.ALREADY_RECEIVED],
        skipped=counts[Verdict.SKIPPED],
    )


# What an ingest run prints grows with what there is to do, not with the number of files: the table of
# every file only when it fits a screen or is asked for (--all), one line per kind of warning.
FILE_TABLE_LIMIT = 60
DETAILED_ACTIONS = 20  # files sent back shown with their error sentences; beyond, one line each
LISTED_ACTIONS = 60  # beyond, the rest are counted and left to --report
EXAMPLE_UNITS = 3


class _Lines:
    """Lines for stdout: styled through rich at a terminal, plain text (no wrapping, no rich) elsewhere."""

    def __init__(self) -> None:
        self.tty = sys.stdout.isatty()
        self.items: list[tuple[str, str] | Any] = []

    def add(self, text: str = "", style: str = "") -> None:
        self.items.append((for_terminal(text), style))

    def add_table(self, made: Callable[[], Any], plain: Callable[[], list[str]]) -> None:
        if self.tty:
            self.items.append(made())
        else:
            self.items.extend((for_terminal(line, lines=False), "") for line in plain())

    def show(self, *, soft_wrap: bool = False) -> None:
        """``soft_wrap``: long lines are left to the terminal to wrap, so a copy keeps each paragraph whole."""
        if not self.tty:
            sys.stdout.write("".join(f"{item[0]}\n" for item in self.items))
            return
        from rich.padding import Padding
        from rich.text import Text

        out = stdout()
        for item in self.items:
            if not isinstance(item, tuple):
                out.print(item)
                continue
            text, style = item
            indent = len(text) - len(text.lstrip(" "))  # a wrapped line keeps its indent
            if soft_wrap:
                out.print(Text(text, style), soft_wrap=True)
            else:
                out.print(Padding(Text(text[indent:], style), (0, 0, 0, indent)) if indent else Text(text, style))


def render_ingest(
    report: IngestResult,
    folder: Path,
    coverage: Sequence[Any],
    name_of: Callable[[str], str],
    *,
    every_file: bool = False,
    hint: bool = True,
) -> None:
    """The officer's view of an ingest run: the counts, what to do (files sent back), the warnings by kind;
    the table of every file when it fits a screen or with --all."""
    if not report.files:
        notice(t("ingest-empty", path=folder), style="yellow")
        return
    lines = _Lines()
    lines.add(batch_summary(report), "bold")
    _coverage(lines, coverage)
    if every_file or len(report.files) <= FILE_TABLE_LIMIT:
        _file_table(lines, report, every_file)
    else:
        lines.add()
        lines.add(t("file-table-hidden", count=len(report.files)), "dim")
        _skipped(lines, report)
    _actions(lines, report)
    _by_code(lines, report, name_of)
    if hint and any(f.findings for f in report.files):  # not when --report or --feedback wrote them
        lines.add()
        lines.add(t("details-hint"), "dim")
    lines.show()


def _coverage(lines: _Lines, coverage: Sequence[Any]) -> None:
    from ihanoi_report.model import percent_text

    shown = None
    for line in coverage:
        if line.round != shown:
            lines.add()
            lines.add(t("coverage-title", round=line.round), "bold")
            shown = line.round
        share = "-" if line.share is None else percent_text(line.share)
        style = "green" if line.reported == line.expected else ""
        lines.add("  " + t("coverage-line", label=line.label, reported=line.reported, expected=line.expected,
                            share=share), style)


def _file_table(lines: _Lines, report: IngestResult, every_finding: bool) -> None:
    from ihanoi_report.model import file_name

    headers = [t("col-file"), t("col-unit"), t("col-round"), t("col-verdict"), t("col-errors"), t("col-warnings")]
    rows = [
        [file_name(f.path), f"{f.unit_name} ({f.unit})" if f.unit else "-", str(f.round or "-"), f.verdict_text,
         str(f.errors or ""), str(f.warnings or "")]
        for f in report.files
    ]  # fmt: skip

    def made() -> Any:
        from rich.text import Text

        styled = [[*row[:3], Text(row[3], style=_VERDICT_STYLE[f.verdict]), *row[4:]] for row, f in
                  zip(rows, report.files, strict=True)]
        return table(t("ingest-title"), headers, styled, justify=["left", "left", "right", "left", "right", "right"])

    lines.add()
    lines.add_table(made, lambda: [t("ingest-title"), " | ".join(headers), *(" | ".join(row) for row in rows)])
    if every_finding:
        for f in report.files:
            if f.findings and f.verdict.kept:
                lines.add()
                lines.add(f"{file_name(f.path)} — {f.unit_name or '-'}", "bold")
                for finding in f.findings:
                    lines.add(f"  [{t('severity-' + finding.severity.value)}] {finding.message}  ({finding.code})",
                              _SEVERITY_STYLE[finding.severity.value])


def _skipped(lines: _Lines, report: IngestResult) -> None:
    """Why files were skipped, one line a reason, when the table that says it of each file is not shown."""
    from collections import Counter

    from ihanoi_report.model import Verdict

    reasons = Counter(f.reason for f in report.files if f.verdict is Verdict.SKIPPED and f.reason)
    for reason, count in reasons.most_common():
        lines.add(t("skipped-why", count=count, reason=t(f"skip-{reason}")))


def _actions(lines: _Lines, report: IngestResult) -> None:
    """Every file sent back, with its errors: what the officer must tell each unit."""
    from ihanoi_report.model import Severity, Verdict, file_name

    needing = report.needing_action()
    kept = {(f.unit, f.round): f.path for f in report.files  # a unit's file received in this very run
            if f.unit and f.verdict in (Verdict.ACCEPTED, Verdict.ACCEPTED_WITH_WARNINGS)}
    for verdict, title in ((Verdict.REJECTED, "action-title"), (Verdict.INTERNAL_ERROR, "tool-failed-title")):
        files = [f for f in needing if f.verdict is verdict]
        if not files:
            continue
        lines.add()
        lines.add(t(title, count=len(files)), "bold red")
        detailed = len(files) <= DETAILED_ACTIONS
        for f in files[:LISTED_ACTIONS]:
            errors = [x for x in f.findings if x.severity is Severity.ERROR]
            named = file_name(f.path) + (f" — {f.unit_name} ({f.unit})" if f.unit else "")
            if not detailed:
                problems = "; ".join(dict.fromkeys(t(f"title-{x.code}") for x in errors))
                lines.add(f"  {named}: {problems}")
                continue
            lines.add(f"  {named}", "bold")
            if f.earlier:
                lines.add("    " + t("rejected-again", name=Path(f.earlier).name), "dim")
            if (beside := kept.get((f.unit, f.round))) is not None:  # which came last, the tool cannot tell
                lines.add("    " + t("rejected-beside", name=file_name(beside)), "dim")
            for finding in errors[:3]:
                lines.add(f"    {finding.message}  ({finding.code})")
            if len(errors) > 3:
                lines.add("    " + t("more-errors", count=len(errors) - 3), "dim")
        if len(files) > LISTED_ACTIONS:
            lines.add("  " + t("more-rejected", count=len(files) - LISTED_ACTIONS), "dim")


def _by_code(lines: _Lines, report: IngestResult, name_of: Callable[[str], str]) -> None:
    """One line per kind of warning or note of the files kept: how many, and a few of the units."""
    groups = report.by_code()
    if not groups:
        return
    lines.add()
    lines.add(t("by-code-title"), "bold")
    for group in groups:
        names = ", ".join(name_of(code) for code in group.where[:EXAMPLE_UNITS])
        more = len(group.where) - EXAMPLE_UNITS
        where = t("and-more-units", names=names, count=more) if more > 0 else names
        text = t("by-code-line", title=t(f"title-{group.code}"), count=group.count, where=where)
        lines.add(f"  [{t('severity-' + group.severity.value)}] {text}  ({group.code})",
                  _SEVERITY_STYLE[group.severity.value])


def _pct(value: object) -> str:
    from ihanoi_report.model import percent_text

    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "-"
    return "-" if number != number else percent_text(number)  # NaN: "-"


def _num(value: object) -> str:
    from ihanoi_report.model import count_text

    try:
        text = str(count_text(int(value)))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return "-"
    return text


GROUP_WIDTH = 16  # the group column of the district totals at its narrowest


class _Totals:
    """The district totals as the terminal shows them: each group's line (and the total's), its figures as text."""

    def __init__(self, lines: list[tuple[Any, Any]], shares: Sequence[Share]) -> None:
        self.lines = lines  # (label, its row of the consolidation)
        self.reported = [f"{_num(g['reported'])}/{_num(g['units_total'])}" for _, g in lines]
        self.figures = {share.key: ([f"{_num(g[share.part])}/{_num(g[share.whole])}" for _, g in lines],
                                    [_pct(g[share.key]) for _, g in lines]) for share in shares}

    def columns(self, shown: Sequence[Share]) -> list[list[str]]:
        """Each figure column of a table of these shares: its header, then its cells."""
        return [[t("col-reported"), *self.reported]] + [
            column for share in shown
            for column in ([t(f"short-{share.key}"), *self.figures[share.key][0]],
                           [t("col-share"), *self.figures[share.key][1]])]

    def width(self, shown: Sequence[Share]) -> int:
        """A table's width with the group names at their narrowest (each column padded a space each side)."""
        from rich.cells import cell_len

        columns = self.columns(shown)
        return GROUP_WIDTH + sum(max(map(cell_len, column)) for column in columns) + 2 * len(columns)

    def table(self, title: str | None, shown: Sequence[Share]) -> Table:
        from rich import box
        from rich.table import Table
        from rich.text import Text

        tbl = Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
        tbl.add_column(t("col-group"), min_width=GROUP_WIDTH, ratio=1)
        columns = self.columns(shown)
        for header, *_ in columns:  # numbers never wrap; at 80 columns the group names wrap instead
            tbl.add_column(header, justify="right", no_wrap=True)
        for i, (label, _) in enumerate(self.lines):
            tbl.add_row(Text(label) if isinstance(label, str) else label, *(column[i + 1] for column in columns))
        return tbl


def render_consolidation(result: Consolidation, registry_groups: Sequence[Any], whole: str,
                         furthest_share: str | None = None) -> None:
    """District totals and each shown share, completeness per group, and the units furthest from the target
    still open (``furthest_share``: the share it judges)."""
    from rich.text import Text

    from ihanoi_report.consolidate import furthest_from_target

    spec = result.spec
    shares = [share for share in spec.shares if share.shown]
    out = stdout()
    lines = [
        (group.label, result.groups.loc[group.code]) for group in registry_groups if group.code in result.groups.index
    ]
    lines.append((Text(t("district-total", whole=whole[:1].upper() + whole[1:]), style="bold"), result.district))
    totals = _Totals(lines, shares)
    title = t("summary-title", round=result.round.number, as_of=_date(result.round.as_of))
    if len(shares) > 1 and totals.width(shares) > out.width:
        # Wider than the terminal, its last columns would be cut at the edge, and a figure with them
        # ("45.555.89" for 45.555.890): a table for each share instead.
        for i, share in enumerate(shares):
            out.print(totals.table(title if i == 0 else None, [share]))
    else:
        out.print(totals.table(title, shares))
    if furthest_share is None:
        return
    furthest = furthest_from_target(result, furthest_share)
    share = spec.share_by_key[furthest_share]
    if len(furthest):
        far = [[u["name"], f"{_num(u[share.part])}/{_num(u[share.whole])}", _pct(u[share.key])]
               for _, u in furthest.iterrows()]
        out.print(
            table(
                t("furthest-title", count=len(far), share=share.label),
                [t("col-unit"), t(f"short-{share.key}"), t("col-share")],
                far,
                justify=["left", "right", "right"],
            )
        )


def _date(day: Any) -> str:
    from ihanoi_report.config import format_date

    return format_date(day) if day is not None and day == day else ""


def render_status(found: StatusView) -> None:
    """Who reported, who is late or missing, what the officer must confirm, and the reminders to send."""
    from rich.text import Text

    from ihanoi_report.model import Standing

    status, rnd, reminders, to_confirm = found.view.status, found.view.result.round, found.reminders, found.to_confirm
    out = stdout()
    out.print(
        table(
            t("status-title", round=rnd.number, due=_date(rnd.due)),
            [t("col-group"), t("status-on-time"), t("status-late"), t("col-missing"), t("col-units"),
             t("col-reported-share"), t("col-on-time-share")],
            _status_rows(found),
            justify=["left"] + ["right"] * 6,
        )
    )
    pending = status[status["status"] != Standing.ON_TIME]
    if len(pending):
        styles_ = {Standing.LATE: "yellow", Standing.MISSING: "red", Standing.REJECTED: "red"}
        detail = [
            [
                r["code"],
                r["name"],
                Text(t(f"status-{r['status']}"), style=styles_[r["status"]]),
                _status_date(r),
                r["contact"],
            ]
            for _, r in pending.iterrows()
        ]
        out.print(table(None, [t("col-code"), t("col-unit"), t("col-status"), t("col-date"), t("col-contact")], detail))
    # The sentences below are copied into Zalo and e-mail: never cut into lines, at a terminal or in a file.
    lines = _Lines()
    if to_confirm:  # two reports that disagree, whose order dates could not tell: the officer asks the unit
        lines.add()
        lines.add(t("to-confirm-title"), "bold yellow")
        for finding in to_confirm:
            lines.add(f"- {finding.message}")
    if reminders:
        lines.add()
        lines.add(t("reminders-title"), "bold")
        for reminder in reminders:
            lines.add()
            lines.add(f"{reminder['name']} <{reminder['contact']}>", "bold")
            lines.add(reminder["message"])
    else:
        lines.add(t("status-all-reported", round=rnd.number), "green")
    lines.show(soft_wrap=True)


def _status_rows(found: StatusView) -> list[list[str]]:
    """Each group's line, as StatusView.group_standings counts it (the same figures as --json)."""
    from ihanoi_report.model import percent_text

    def count(value: int | None) -> str:
        return "-" if value is None else _num(value)

    return [[g.label, count(g.on_time), count(g.late), count(g.missing), count(g.units), percent_text(g.reported_share),
             "-" if g.on_time_share is None else percent_text(g.on_time_share)] for g in found.group_standings()]


RANK_SHOWN = 3  # units shown at each end of a group


def render_ranking(ranking: Ranking, groups: Sequence[Any]) -> None:
    """The first and the last units of each group, with their points and the proposal, on one screen."""
    from ihanoi_report.model import number_text

    labels = {g.code: g.label for g in groups}
    rows: list[list[str]] = []
    for code, units in ranking.groups:
        rows.append([labels[code], "", "", ""])
        shown = list(units) if len(units) <= 2 * RANK_SHOWN else [*units[:RANK_SHOWN], None, *units[-RANK_SHOWN:]]
        for unit in shown:
            if unit is None:
                rows.append(["  …", "", "", ""])
                continue
            # two decimals, as the workbook shows them: "28,40" above "26,88", not "28,4"
            rows.append([f"  {unit.unit.name}", str(unit.rank), number_text(unit.total, ".2f"), unit.proposal])
    from rich.table import Table
    from rich.text import Text

    # One line a unit: a long proposal ends in "…" here; the workbook has it whole.
    tbl = Table(title=t("rank-title", round=ranking.as_of.number), title_justify="left", header_style="bold")
    out = stdout()
    name_width, rank_width, total_width = 36, 4, 6
    room = max(20, out.width - name_width - rank_width - total_width - 13)  # 13: borders and padding
    tbl.add_column(t("col-unit"), max_width=name_width, no_wrap=True, overflow="ellipsis")
    tbl.add_column(t("col-rank"), justify="right", no_wrap=True, min_width=rank_width)
    tbl.add_column(t("col-total"), justify="right", no_wrap=True, min_width=total_width)
    tbl.add_column(t("col-proposal"), no_wrap=True, overflow="ellipsis", max_width=room)
    for row in rows:
        tbl.add_row(*(Text(for_terminal(cell, lines=False), style="bold" if not row[1] and cell == row[0] else "")
                      for cell in row))
    out.print(tbl)


def render_pack(pack: RoundPack) -> None:
    """What summary wrote, the message to paste into Zalo, and whether the PDFs could be made."""
    say(t("pack-written", path=pack.folder.resolve()))
    for path in (pack.report, pack.workbook, *pack.pictures, pack.message, *pack.pdfs):
        say(f"  {path.name}")
    if pack.pdf_asked and pack.pdf_program is None:
        notice(t("pdf-no-libreoffice"), style="yellow")
    elif pack.pdf_asked and len(pack.pdfs) < 2:
        notice(t("pdf-failed"), style="yellow")
    say("")
    say(t("zalo-title"))
    say(pack.message_text)


def _status_date(row: Any) -> str:
    """The date a unit's lateness was judged by, and where it came from when not from the form."""
    if row["report_date"] is None or row["report_date"] != row["report_date"]:
        return ""
    source = row.get("date_source", "")
    return _date(row["report_date"]) + (f" ({t(f'date-from-{source}')})" if source in ("file", "stated") else "")


def render_campaigns(campaigns: Sequence[tuple[str, str]]) -> None:
    """init --list: the shipped campaigns, each with what it is."""
    stdout().print(table(t("campaigns-title"), [t("col-campaign"), t("col-about")], [list(c) for c in campaigns]))


def render_rules(rules: Sequence[tuple[Any, Any]]) -> None:
    """Every code with its severity, the check that says it and an example of its sentence."""
    from rich.text import Text

    rows = [
        [
            rule.code,
            Text(t(f"severity-{rule.severity.value}"), style=_SEVERITY_STYLE[rule.severity.value]),
            t(f"check-{check.name}"),
            t_example(rule.code),
        ]
        for rule, check in rules
    ]
    stdout().print(table(t("rules-title"), [t("col-code"), t("col-severity"), t("col-check"), t("col-problem")], rows))


NOTICE_ITEMS = 5  # the files or rows a one-line notice names before "…"


def _a_few(items: Sequence[str], separator: str) -> str:
    """The first NOTICE_ITEMS items, and "…" when there are more: a notice stays one line."""
    more = len(items) > NOTICE_ITEMS
    return separator.join([*items[:NOTICE_ITEMS], *(["…"] if more else [])])


def closed_notices(closed: Sequence[tuple[Closure, Sequence[Report]]]) -> None:
    """A closed round's files received after its closing: stored, shown, not counted (until reopen)."""
    for closure, later in closed:
        if later:
            files = _a_few([for_terminal(PurePath(r.path).name) for r in later], ", ")
            notice(t("closed-notice", round=closure.round, at=moment(closure.closed_at),
                     count=len(later), files=files), style="yellow")  # fmt: skip


def moment(at: datetime) -> str:
    """ "06:10 ngày 02/12/2026": when something was done, as an officer writes it."""
    from ihanoi_report.model import moment_text  # here: --help does not load the record types

    return moment_text(at)


def input_notices(ranking: Ranking, declared: Sequence[RankingInput]) -> None:
    """A declared ranking input that was not read (its criteria not judged), and the rows of one that were
    not used: said, never a silent zero."""
    read = {table.definition.key: table for table in ranking.inputs}
    for definition in declared:
        table = read.get(definition.key)
        if table is None:
            criteria = ", ".join(c.label for c in ranking.criteria if c.input == definition.key) or "-"
            notice(t("input-not-read", file=definition.file, label=definition.label, criteria=criteria,
                     key=definition.key), style="yellow")  # fmt: skip
        elif table.unmatched:
            rows = _a_few([f"{u.row}: {for_terminal(u.text)} — {t('input-reason-' + u.reason)}"
                           for u in table.unmatched], "; ")  # fmt: skip
            notice(t("input-unmatched", file=for_terminal(table.file), count=len(table.unmatched), rows=rows),
                   style="yellow")
