"""Writing outputs safely: a file to a temporary name beside the target, then renamed into place; a folder
of outputs staged whole beside its target, then swapped in (DESIGN §4, Outputs).

Only regular files are ever replaced: a device, a pipe or a folder at an output path is refused, even with
--force. A failure or a signal (SIGINT, SIGTERM: see __main__) leaves the old file or folder as it was, and no
temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path, PurePath

from ihanoi_report.errors import OutputError
from ihanoi_report.messages import t
from ihanoi_report.units import slug

TEMP_PREFIX = ".~tmp-"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()  # read once: setting it is process-wide, not for a thread to do mid-run


def _failed(path: Path, exc: OSError) -> OutputError:
    return OutputError(t("output-failed", path=path, detail=exc.strerror or exc), t("output-failed-hint"))


def check_writable(path: Path, force: bool) -> None:
    """Refuse to replace an existing file unless the user said --force, and anything but a regular file ever."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _failed(path, exc) from None
    if not stat.S_ISREG(mode):
        raise OutputError(t("output-not-a-file", path=path), t("output-not-a-file-hint"))
    if not force:
        raise OutputError(t("output-exists", path=path), t("output-exists-hint"))


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise _failed(path, exc) from None
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp makes the file readable by its owner only; an output is shared like any file the user saves.
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except OSError as exc:
        raise _failed(path, exc) from None
    finally:
        tmp.unlink(missing_ok=True)


def write_atomically(path: Path, write: Callable[[Path], object], *, force: bool) -> Path:
    """Run ``write(tmp)`` and move the result to ``path``; never a half-written ``path``."""
    check_writable(path, force)
    with atomic_path(path) as tmp:
        write(tmp)
    return path


FEEDBACK_KINDS = ("can-sua", "luu-y")  # a file sent back to be corrected; one received, with cells to check


def feedback_stems(paths: Sequence[str]) -> list[str]:
    """The name of each returned file's feedback copy, without its kind: the file's own name as an ASCII slug;
    two files of one name (in two subfolders) get their own, the later one with -2, -3… (never one over the
    other)."""
    stems, taken = [], set()
    for path in paths:
        stem = slug(PurePath(path).stem, 60)
        name, n = stem, 1
        while name in taken:
            n += 1
            name = f"{stem}-{n}"
        taken.add(name)
        stems.append(name)
    return stems


def feedback_names(stems: Sequence[str]) -> list[str]:
    """Every name a copy of these files can have (both kinds): what a feedback folder owns."""
    return [f"{stem}_{kind}.xlsx" for stem in stems for kind in FEEDBACK_KINDS]


def probe_folder(folder: Path) -> None:
    """Refuse, before anything is done, a folder that cannot take an output: not a folder, read-only, or on a
    full disk. It (or its nearest existing parent) gets a small file, written and removed."""
    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(t("output-folder-not-a-folder", path=existing), t("output-not-a-file-hint"))
    try:
        with tempfile.NamedTemporaryFile(prefix=TEMP_PREFIX, dir=existing) as probe:
            probe.write(b"\0" * 4096)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        raise _failed(folder, exc) from None


# --- a folder of outputs, all or nothing --------------------------------------------------------------------


def check_bundle(folder: Path, names: Iterable[str], *, force: bool) -> None:
    """What :func:`bundle` checks before anything is written: a folder (or nothing) at ``folder``, distinct
    names, and for each name nothing or a regular file that ``force`` allows to replace."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(t("output-folder-not-a-folder", path=folder), t("output-not-a-file-hint"))
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:  # Windows and macOS take the two for one file
            raise OutputError(t("output-same-name", name=name, path=folder), t("output-failed-hint"))
        seen.add(name.casefold())
        check_writable(folder / name, force)


@contextlib.contextmanager
def bundle(folder: Path, names: Iterable[str], *, force: bool) -> Iterator[Path]:
    """Yield an empty staging folder beside ``folder``; write the outputs there, each under one of ``names``.

    ``names`` are all the files this bundle owns in ``folder``: when the block ends without error, each is
    replaced by what the staging folder holds, or removed when it holds none (an old picture or PDF must not
    stay beside a new report it contradicts). The staging folder, with the folder's other files linked in,
    is swapped with ``folder`` in one rename. A failure or a signal inside the block leaves ``folder``
    untouched and removes the staging folder.
    """
    names = list(names)
    check_bundle(folder, names, force=force)
    owned = {name.casefold() for name in names}
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{folder.name}-", dir=folder.parent))
    except OSError as exc:
        raise _failed(folder, exc) from None
    try:
        yield staging
        os.chmod(staging, 0o777 & ~_UMASK)
        _swap_in(staging, folder, owned)
    except OSError as exc:
        raise _failed(folder, exc) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, folder: Path, owned: set[str]) -> None:
    if not folder.exists():
        os.rename(staging, folder)
        return
    others = [entry for entry in folder.iterdir() if entry.name.casefold() not in owned]
    if any(entry.is_dir() and not entry.is_symlink() for entry in others):
        # Not a folder of outputs (a workspace given as --out .): each file is moved in on its own, all of
        # them already complete, so the window in which the folder is mixed is a few renames long.
        for entry in folder.iterdir():
            if entry.name.casefold() in owned and not (staging / entry.name).exists():
                entry.unlink()
        for made in staging.iterdir():
            os.replace(made, folder / made.name)
        return
    for entry in others:  # the folder's other files stay: the same inode, not a copy
        try:
            os.link(entry, staging / entry.name, follow_symlinks=False)
        except OSError:
            shutil.copy2(entry, staging / entry.name, follow_symlinks=False)
    if not _exchange(staging, folder):
        old = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}old-", dir=folder.parent))
        os.rename(folder, old / folder.name)
        os.rename(staging, folder)
        staging = old
    shutil.rmtree(staging, ignore_errors=True)  # the old folder, now at the staging name


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        at_fdcwd, rename_exchange = -100, 2
        done = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    except (AttributeError, OSError):
        return False
    return bool(done == 0)
