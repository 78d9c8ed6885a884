"""Entry point: picks the language before the CLI is imported, so --help is in that language."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def split_global_options(argv: Sequence[str]) -> tuple[list[str], str | None, bool]:
    """Take --lang X and --debug out of ``argv`` wherever they stand; return the rest."""
    rest: list[str] = []
    language: str | None = None
    debug = False
    args = iter(argv)
    for arg in args:
        if arg == "--debug":
            debug = True
        elif arg == "--lang":
            language = next(args, None)
        elif arg.startswith("--lang="):
            language = arg.split("=", 1)[1]
        elif arg == "--":
            rest.append(arg)
            rest.extend(args)
        else:
            rest.append(arg)
    return rest, language, debug


def _utf8_streams() -> None:
    """Vietnamese in any pipe or file: Windows gives a redirected stream the ANSI code page, which cannot
    write "Cách xử lý" (and JSON is UTF-8 by definition). A Windows console and Linux are UTF-8 already."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def _stop_cleanly_on_signals() -> None:
    """SIGTERM (kill, a service manager) and SIGHUP (the terminal closed) stop the run as Ctrl-C does."""
    import signal

    from ihanoi_report.errors import Terminated

    def stop(signal_number: int, _frame: object) -> None:
        raise Terminated(signal_number)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def main(argv: Sequence[str] | None = None) -> None:
    from ihanoi_report import messages

    _utf8_streams()
    _stop_cleanly_on_signals()

    args, language, debug = split_global_options(sys.argv[1:] if argv is None else argv)
    if language is not None:
        if language not in messages.LANGUAGES:
            sys.stderr.write(f"--lang: vi | en ({language}?)\n")
            raise SystemExit(2)
        messages.set_language(language)
    from ihanoi_report.cli import console
    from ihanoi_report.cli.app import run

    console.guard_stdout()
    code = run(args, debug=debug)
    if console.stdout_broken():  # what was left in the buffer could not be written either (a full disk)
        from ihanoi_report.errors import IhanoiError

        console.show_error(IhanoiError(messages.t("stdout-failed", detail="ENOSPC/EPIPE"),
                                       messages.t("stdout-failed-hint")))
        code = 3
    raise SystemExit(code)


if __name__ == "__main__":
    main()
