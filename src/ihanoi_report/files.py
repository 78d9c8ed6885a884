"""Writing outputs safely: to a temporary name beside the target, then renamed into place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ihanoi_report.errors import OutputError
from ihanoi_report.messages import t


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()  # read once: setting it is process-wide, not for a thread to do mid-run


def check_writable(path: Path, force: bool) -> None:
    """Refuse to replace an existing file unless the user said --force."""
    if path.exists() and not force:
        raise OutputError(t("output-exists", path=path), t("output-exists-hint"))


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".~tmp-", suffix=path.suffix, dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(t("output-failed", path=path, detail=exc.strerror or exc), t("output-failed-hint")) from None
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp makes the file readable by its owner only; an output is shared like any file the user saves.
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(t("output-failed", path=path, detail=exc.strerror or exc), t("output-failed-hint")) from None
    finally:
        tmp.unlink(missing_ok=True)


def write_atomically(path: Path, write: Callable[[Path], object], *, force: bool) -> Path:
    """Run ``write(tmp)`` and move the result to ``path``; never a half-written ``path``."""
    check_writable(path, force)
    with atomic_path(path) as tmp:
        write(tmp)
    return path
