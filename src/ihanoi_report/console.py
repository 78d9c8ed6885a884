"""The only module below the CLI that talks to the terminal: consoles, tables, panels, progress.

Results go to stdout; progress, notices and errors go to stderr.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from ihanoi_report.errors import IhanoiError
from ihanoi_report.findings import BatchReport, Verdict
from ihanoi_report.messages import t


def _width() -> int | None:
    # Tests and CI pin the width so that wrapping never changes what they assert.
    value = os.environ.get("IHANOI_WIDTH")
    return int(value) if value and value.isdigit() else None


def stdout() -> Console:
    return Console(width=_width(), highlight=False)


def stderr() -> Console:
    return Console(stderr=True, width=_width(), highlight=False)


def show_error(error: IhanoiError) -> None:
    """One red panel on stderr: what is wrong, and what to do about it."""
    body = Text(error.message)
    if error.hint:
        body.append(f"\n{t('hint-prefix')}: ", style="bold")
        body.append(error.hint)
    stderr().print(Panel(body, title=t("error-title"), title_align="left", border_style="red"))


def notice(message: str, style: str = "dim") -> None:
    stderr().print(message, style=style)


def success(message: str) -> None:
    stdout().print(message, style="green")


@contextlib.contextmanager
def progress(description: str, total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr; yields a function that advances it by one."""
    console = stderr()
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=not console.is_terminal,
        disable=not console.is_terminal,
    )
    with bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)


def table(
    title: str | None, headers: Sequence[str], rows: Sequence[Sequence[object]], *, justify: Sequence[str] | None = None
) -> Table:
    tbl = Table(title=title, title_justify="left", header_style="bold")
    for i, header in enumerate(headers):
        tbl.add_column(header, justify=(justify[i] if justify else "left"))  # type: ignore[arg-type]
    for row in rows:
        tbl.add_row(*(r if isinstance(r, Text) else Text(str(r)) for r in row))
    return tbl


def print_table(tbl: Table) -> None:
    stdout().print(tbl)


def print_json(text: str) -> None:
    # Plain write: rich must not wrap or colour machine-readable output.
    stdout().file.write(text + "\n")


_VERDICT_STYLE = {
    "accepted": "green",
    "accepted-with-warnings": "yellow",
    "rejected": "bold red",
    "skipped": "dim",
    "already-received": "cyan",
}
_SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}


def render_batch(report: BatchReport) -> None:
    """The officer's view of an ingest run: one line per file, then every finding with its cell."""
    out = stdout()
    rows = []
    for f in report.files:
        rows.append(
            [
                Text(Path(f.path).name),
                Text(f"{f.unit_name} ({f.unit})" if f.unit else "-"),
                Text(str(f.round or "-")),
                Text(
                    f.verdict.label + (f" ({f.reason})" if f.reason and f.verdict.value == "skipped" else ""),
                    style=_VERDICT_STYLE[f.verdict.value],
                ),
                Text(str(f.errors or "")),
                Text(str(f.warnings or "")),
            ]
        )
    out.print(
        table(
            t("ingest-title"),
            [t("col-file"), t("col-unit"), t("col-round"), t("col-verdict"), t("col-errors"), t("col-warnings")],
            rows,
            justify=["left", "left", "right", "left", "right", "right"],
        )
    )
    with_findings = [f for f in report.files if f.findings]
    if with_findings:
        out.print(f"\n[bold]{t('findings-title')}[/bold]")
    for f in with_findings:
        out.print(f"\n[bold]{Path(f.path).name}[/bold]" + (f" — {f.unit_name}" if f.unit_name else ""))
        for finding in f.findings:
            label = t(f"severity-{finding.severity.value}")
            line = Text("  ")
            line.append(f"[{label}] ", style=_SEVERITY_STYLE[finding.severity.value])
            line.append(finding.message)
            line.append(f"  ({finding.code})", style="dim")
            out.print(line)
    counts = {v.value: report.count(v) for v in Verdict}
    out.print(
        "\n"
        + t(
            "ingest-summary",
            files=len(report.files),
            accepted=counts["accepted"],
            warned=counts["accepted-with-warnings"],
            rejected=counts["rejected"],
            already=counts["already-received"],
            skipped=counts["skipped"],
        )
    )
