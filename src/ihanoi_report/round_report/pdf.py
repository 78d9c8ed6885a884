"""PDFs of the round report and of the consolidated workbook, by LibreOffice when it is installed: headless,
with a profile of its own (an office PC's open LibreOffice is neither used nor disturbed), within a time limit."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ihanoi_report.files import atomic_path, check_writable

SECONDS = 180.0


def libreoffice() -> str | None:
    """The LibreOffice program, if this computer has one."""
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    for folder in (Path("C:/Program Files/LibreOffice/program"), Path("/Applications/LibreOffice.app/Contents/MacOS")):
        if (folder / "soffice.exe").is_file() or (folder / "soffice").is_file():
            return str(folder / ("soffice.exe" if (folder / "soffice.exe").is_file() else "soffice"))
    return None


def to_pdf(program: str, sources: Sequence[Path], *, force: bool, seconds: float = SECONDS) -> list[Path]:
    """A PDF beside each source (same name, .pdf); the ones LibreOffice could not make are left out."""
    targets = [source.with_suffix(".pdf") for source in sources]
    for target in targets:
        check_writable(target, force)
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as out:
        command = [program, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", out, *(str(s) for s in sources)]
        try:
            subprocess.run(command, capture_output=True, timeout=seconds, check=False)
        except (subprocess.TimeoutExpired, OSError):
            return []
        written = []
        for source, target in zip(sources, targets, strict=True):
            made = Path(out) / f"{source.stem}.pdf"
            if made.is_file() and made.stat().st_size:
                with atomic_path(target) as tmp:
                    shutil.copyfile(made, tmp)
                written.append(target)
        return written
