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


def main(argv: Sequence[str] | None = None) -> None:
    from ihanoi_report import messages

    args, language, debug = split_global_options(sys.argv[1:] if argv is None else argv)
    if language is not None:
        if language not in messages.LANGUAGES:
            sys.stderr.write(f"--lang: vi | en ({language}?)\n")
            raise SystemExit(2)
        messages.set_language(language)
    from ihanoi_report.cli import run

    raise SystemExit(run(args, debug=debug))


if __name__ == "__main__":
    main()
