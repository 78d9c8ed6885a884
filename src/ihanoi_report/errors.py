"""Operational failures: the tool could not do its job (config, store, output).

A problem inside a returned workbook is never one of these: it is a Finding.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The process exit codes, as the README lists them."""

    OK = 0
    INPUT_ERRORS = 1
    USAGE = 2
    FAILED = 3
    INTERNAL = 4


class IhanoiError(Exception):
    """A failure the user can fix: a one-line message and a hint on how."""

    exit_code = ExitCode.FAILED

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(IhanoiError):
    """campaign.toml or units.csv is missing or wrong."""


class StoreError(IhanoiError):
    """The workspace database or archive cannot be used."""


class OutputError(IhanoiError):
    """An output file cannot be written (exists, locked, no permission)."""


class NothingToReport(IhanoiError):
    """A command that reads the store found nothing to read: no store, or no report for the round."""

    exit_code = ExitCode.INPUT_ERRORS


class UsageError(IhanoiError):
    """The command line asks for something that does not exist (a round, a unit)."""

    exit_code = ExitCode.USAGE


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program stands so that every ``finally`` runs (temporary files and
    worker processes go) as for Ctrl-C; the exit code is the shell's 128 + the signal's number."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.exit_code = 128 + signal_number
