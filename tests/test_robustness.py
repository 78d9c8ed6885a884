"""Every file gets a clear verdict, nothing is lost, nothing hostile gets through (issue: robustness).

The foreign corpus is read from ../shared/corpus/foreign (never copied here); hostile files are
made by the tests themselves.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from ihanoi_report.config import Workspace, load_campaign, shipped_dir
from ihanoi_report.ingest import ingest_folder
from ihanoi_report.reader import ReadFailure, read_form
from ihanoi_report.store import Store

SPEC = load_campaign(shipped_dir("templates") / "campaign.toml").declared

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "foreign"  # ../shared, read in place
CLERK_WORDS = {
    "file-encrypted": "có mật khẩu",
    "not-a-spreadsheet": "Không phải tệp bảng tính",
    "file-unreadable": "Tệp bị hỏng",
    "form-not-found": "Không tìm thấy biểu mẫu báo cáo",
    "file-format-unsupported": "Định dạng tệp không được hỗ trợ",
    "file-too-large": "Tệp quá lớn",
    "file-variant-unsupported": "công cụ chưa đọc được kiểu tệp này",
}


@pytest.fixture(scope="module")
def corpus_run(hashes, tmp_path_factory, campaign, registry):
    if not (CORPUS / "MANIFEST.tsv").exists():
        pytest.skip("../shared/corpus/foreign is not here (it is read in place, never copied into the repo)")
    before = hashes(CORPUS)
    workspace = Workspace(tmp_path_factory.mktemp("corpus"))
    start = time.monotonic()
    report = ingest_folder(CORPUS, workspace, campaign, registry)
    elapsed = time.monotonic() - start
    assert hashes(CORPUS) == before
    return report, elapsed, workspace


def test_every_corpus_file_gets_a_verdict_a_clerk_understands(corpus_run):
    report, elapsed, _ = corpus_run
    listed = {p.name for p in CORPUS.iterdir()}
    assert {Path(f.path).name for f in report.files} == listed  # 100 % of the files
    verdicts = Counter(f.verdict.value for f in report.files)
    assert set(verdicts) <= {"rejected", "skipped", "already-received"}  # none of them is our form
    for file in report.files:
        if file.verdict.value == "rejected":
            (finding,) = file.findings
            assert finding.code in CLERK_WORDS, (file.path, finding.code)
            assert CLERK_WORDS[finding.code] in finding.message
            for word in ("Traceback", "Exception", "Error", "panicked"):
                assert word not in finding.message, (file.path, finding.message)
    assert elapsed < 120


def test_encrypted_corpus_files_are_called_password_protected(corpus_run):
    report, _, _ = corpus_run
    by_name = {Path(f.path).name: f for f in report.files}
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        manifest = list(csv.DictReader(handle, delimiter="\t"))
    encrypted = [m["file"] for m in manifest
                 if "encryption=" in m["note"] or "password-encrypted" in m["note"]
                 or ("encrypted" in m["note"].split(";")[0] and "fuzzer" not in m["note"])]
    assert len(encrypted) >= 15
    for name in encrypted:
        assert by_name[name].findings[0].code == "file-encrypted", name


def test_a_sound_file_our_reader_cannot_read_is_never_called_damaged(corpus_run):
    """calamine fails on both kinds; the verdict tells our limit (save as .xlsx) from a damaged file."""
    report, _, _ = corpus_run
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        notes = {row["file"]: row["note"].lower() for row in csv.DictReader(handle, delimiter="\t")}
    damage_words = ("broken", "corrupt", "crc", "truncated", "0-byte", "fuzzer", "bomb", "not a valid", "crash")
    first = {Path(f.path).name: f.findings[0] for f in report.files if f.findings}
    variant = {name for name, finding in first.items() if finding.code == "file-variant-unsupported"}
    damaged = {name for name, finding in first.items() if finding.code == "file-unreadable"}
    assert len(variant) == 8 and len(damaged) == 15
    assert not [name for name in variant if any(word in notes[name] for word in damage_words)]
    assert not [name for name in damaged if not any(word in notes[name] for word in damage_words)]
    assert {first[name].args["format"] for name in variant} == {"ods", "xls", "xlsb", "xlsx"}


def test_the_store_stays_consistent_after_the_corpus(corpus_run):
    _, _, workspace = corpus_run
    db = sqlite3.connect(workspace.store_path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    shas = [r[0] for r in db.execute("SELECT sha256 FROM submissions")]
    assert len(shas) == len(set(shas))


# --- hostile files made here -------------------------------------------------------------

def _xlsx(parts: dict[str, bytes | str]) -> bytes:
    base = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook'
        '.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {**base, **parts}.items():
            archive.writestr(name, content)
    return buffer.getvalue()


SHEET_HEAD = '<?xml version="1.0"?>{doctype}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _bomb_rows(size_mb: int) -> bytes:
    row = b'<row r="1"><c r="A1"><v>1</v></c></row>'
    body = row * (size_mb * 1024 * 1024 // len(row))
    return SHEET_HEAD.format(doctype="").encode() + b"<sheetData>" + body + b"</sheetData></worksheet>"


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) + "]>")
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def hostile_files(folder: Path) -> dict[str, str]:
    """Write the hostile cases; return the file name -> the finding code expected."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: dict[str, tuple[bytes, str]] = {
        "zip-bomb.xlsx": (_xlsx({"xl/worksheets/sheet1.xml": _bomb_rows(200)}), "file-too-large"),
        "entity-bomb-sheet.xlsx": (_xlsx({"xl/worksheets/sheet1.xml": SHEET_HEAD.format(doctype=LAUGHS)
                                          + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is>'
                                          "</c></row></sheetData></worksheet>"}), "file-unreadable"),
        "entity-bomb-strings.xlsx": (_xlsx({
            "xl/worksheets/sheet1.xml": SHEET_HEAD.format(doctype="") + '<sheetData><row r="1"><c r="A1" t="s"><v>0'
            "</v></c></row></sheetData></worksheet>",
            "xl/sharedStrings.xml": '<?xml version="1.0"?>' + LAUGHS + '<sst xmlns="http://schemas.openxmlformats'
            '.org/spreadsheetml/2006/main" count="1"><si><t>&lol9;</t></si></sst>'}), "file-unreadable"),
        "xxe-sheet.xlsx": (_xlsx({"xl/worksheets/sheet1.xml": SHEET_HEAD.format(doctype=XXE)
                                  + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
                                  "</sheetData></worksheet>"}), "file-unreadable"),
        "whole-grid.xlsx": (_xlsx({"xl/worksheets/sheet1.xml": SHEET_HEAD.format(doctype="")
                                   + '<dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="XFD1048576">'
                                   "<v>1</v></c></row></sheetData></worksheet>"}), "form-not-found"),
        "million-rows.xlsx": (_xlsx({"xl/worksheets/sheet1.xml": SHEET_HEAD.format(doctype="").encode()
                                     + b"<sheetData>" + b"".join(
                                         f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>'.encode()
                                         for i in range(1, 1_000_001)) + b"</sheetData></worksheet>"}),
                              "file-too-large"),
        "empty.xlsx": (b"", "file-unreadable"),
    }
    expected = {}
    for name, (data, code) in cases.items():
        (folder / name).write_bytes(data)
        expected[name] = code
    (folder / "x.xlsx").mkdir()
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    bad_name = os.fsdecode(b"bao-cao-\xff\xfe.xlsx")
    (folder / bad_name).write_bytes(b"not a spreadsheet at all")
    expected["bao-cao-\ufffd\ufffd.xlsx"] = "not-a-spreadsheet"
    return expected


def test_hostile_files_are_rejected_quickly_with_bounded_memory(filled_form, hashes, tmp_path, campaign, registry):
    inbox = tmp_path / "inbox"
    expected = hostile_files(inbox)
    filled_form(inbox / "zz-good.xlsx", "PB-NV", 1)
    before = hashes(inbox / "x.xlsx") | {p.name: p.read_bytes() for p in inbox.iterdir() if p.is_file()}
    start = time.monotonic()
    report = ingest_folder(inbox, Workspace(tmp_path / "ws"), campaign, registry, 1)
    elapsed = time.monotonic() - start
    got = {Path(f.path).name: (f.findings[0].code if f.findings else f.verdict.value) for f in report.files}
    for name, code in expected.items():
        assert got[name] == code, name
    assert got["zz-good.xlsx"] == "accepted"  # nothing else in the run is affected
    assert got["loop"] == "skipped"
    assert elapsed < 60
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kb < 1_500_000, f"a worker used {peak_kb // 1024} MB"
    assert before == hashes(inbox / "x.xlsx") | {p.name: p.read_bytes() for p in inbox.iterdir() if p.is_file()}


def test_an_entity_bomb_is_never_expanded_by_openpyxl():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def _work(campaign, registry, rnd):
    """What an ingest run gives each worker: examine a file with the run's setup (picklable, for spawn)."""
    import functools
    from datetime import date

    from ihanoi_report.ingest import Setup, examine_file

    return functools.partial(examine_file, setup=Setup(registry, campaign, rnd, date(2024, 9, 30)))


def test_a_file_that_takes_too_long_is_stopped_and_the_run_goes_on(filled_form, tmp_path, campaign, registry):
    from ihanoi_report.sandbox import Job, run_all

    (tmp_path / "slow.xlsx").write_bytes(_xlsx({"xl/worksheets/sheet1.xml": _bomb_rows(9)}))
    filled_form(tmp_path / "good.xlsx", "PB-NV", 1)
    jobs = [Job(0, tmp_path / "slow.xlsx", None), Job(1, tmp_path / "good.xlsx", None)]
    results = list(run_all(jobs, _work(campaign, registry, 1), lambda job, code, detail: (job.index, code, detail),
                               workers=1, seconds=0.05))
    assert results[0] == (0, "file-too-large", "timeout:0.05")
    assert results[1].unit == "PB-NV" and not results[1].has_errors


def test_a_slow_file_inside_a_batch_costs_only_its_own_verdict(filled_form, tmp_path, campaign, registry):
    from ihanoi_report.sandbox import Job, run_all

    (tmp_path / "slow.xlsx").write_bytes(_xlsx({"xl/worksheets/sheet1.xml": _bomb_rows(45)}))  # ~1 s to parse
    good = filled_form(tmp_path / "good.xlsx", "PB-NV", 1)
    paths = [good, good, tmp_path / "slow.xlsx", good, good, good, good]
    jobs = [Job(i, path, None) for i, path in enumerate(paths)]
    results = list(run_all(jobs, _work(campaign, registry, 1), lambda job, code, detail: (job.index, code),
                               workers=2, seconds=0.3, batch_size=4))
    assert results[2] == (2, "file-too-large")
    assert [r.index for i, r in enumerate(results) if i != 2] == [0, 1, 3, 4, 5, 6]
    assert all(r.unit == "PB-NV" for i, r in enumerate(results) if i != 2)


def test_a_worker_that_dies_costs_one_verdict(filled_form, tmp_path, campaign, registry):
    from ihanoi_report.sandbox import Job, run_all

    # 5,000 rows x 1,999 columns: small on disk, a grid of 10 million cells in memory.
    rows = b"".join(f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>'.encode() for i in range(2, 5001))
    wide = SHEET_HEAD.format(doctype="").encode() + b'<sheetData><row r="1"><c r="BXW1"><v>1</v></c></row>' + rows
    (tmp_path / "big.xlsx").write_bytes(_xlsx({"xl/worksheets/sheet1.xml": wide + b"</sheetData></worksheet>"}))
    filled_form(tmp_path / "good.xlsx", "PB-NV", 1)
    jobs = [Job(0, tmp_path / "big.xlsx", None), Job(1, tmp_path / "good.xlsx", None)]
    results = list(run_all(jobs, _work(campaign, registry, 1), lambda job, code, detail:
                               (job.index, code, detail), workers=1, memory_limit=250 * 1024 * 1024,
                           start_method="spawn"))
    assert results[0][:2] in ((0, "file-unreadable"), (0, "file-too-large")), results[0][2][-600:]
    assert results[1].unit == "PB-NV"


# --- nothing lost ------------------------------------------------------------------------

def _ingest_cmd(folder: Path, workspace: Path, *options: str) -> list[str]:
    workspace.mkdir(parents=True, exist_ok=True)  # a workspace asked for must exist (init makes new ones)
    return [sys.executable, "-m", "ihanoi_report", "ingest", str(folder), "--workspace", str(workspace), "--json",
            *options]


def _check_store(workspace: Path, folder: Path) -> None:
    db = sqlite3.connect(workspace / "ihanoi.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = db.execute("SELECT sha256, source_path FROM submissions").fetchall()
    assert len(rows) == len({sha for sha, _ in rows})
    files = [p for p in folder.rglob("*.xls*") if not p.name.startswith("~$")]
    import hashlib

    distinct = {hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    assert {sha for sha, _ in rows} == distinct
    orphans = db.execute("SELECT count(*) FROM rows WHERE submission_id NOT IN (SELECT id FROM submissions)")
    assert orphans.fetchone() == (0,)
    kept = db.execute("SELECT count(*) FROM files f JOIN submissions s ON s.id = f.submission_id")
    assert kept.fetchone() == (len(rows),)


def _recorded(workspace: Path) -> int:
    """How many files the store holds now, read as any other reader would (-1: no store yet)."""
    path = workspace / "ihanoi.sqlite"
    if not path.exists():
        return -1
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.05)) as db:
            return int(db.execute("SELECT count(*) FROM submissions").fetchone()[0])
    except sqlite3.Error:  # the schema is not created yet, or the writer holds it this instant
        return -1


def _processes_of(marker: str) -> list[int]:
    """The processes whose command line names ``marker`` (a run's own workspace): its main and its workers."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
    return found


def _none_left(marker: str, seconds: float = 5.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := _processes_of(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


@pytest.fixture(scope="module")
def long_inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Round 3's returns many times over, each copy with other bytes (a zip comment): a run long enough for
    the store to commit several times before it ends."""
    inbox = tmp_path_factory.mktemp("long-inbox")
    for copy in range(18):
        for path in sorted((shipped_dir("samples") / "round-3").iterdir()):
            target = inbox / f"{copy:02d}-{path.name}"
            try:
                with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
                    for member in source.infolist():
                        out.writestr(member, source.read(member))
                    out.comment = f"copy {copy}".encode()
            except (zipfile.BadZipFile, OSError):  # .xls, a damaged file, a picture: once is enough
                target.unlink(missing_ok=True)
                if copy == 0:
                    target.write_bytes(path.read_bytes())
    return inbox


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc")
def test_killing_ingest_midway_loses_and_doubles_nothing(tmp_path, long_inbox):
    """Kills land at moments the run itself reports (files in the store), never at a guessed time."""
    folder = long_inbox
    total = sum(1 for p in folder.iterdir() if p.suffix.startswith(".xls") and not p.name.startswith("~$"))
    landed = []
    for attempt, after in enumerate((-1, 0, 1, total // 3, 2 * total // 3)):
        workspace = tmp_path / f"ws{attempt}"
        process = subprocess.Popen(_ingest_cmd(folder, workspace), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        while process.poll() is None and _recorded(workspace) < after:
            time.sleep(0.005)
        alive = process.poll() is None  # a kill of a run that had already ended tests nothing
        process.kill()
        process.wait()
        assert _none_left(str(workspace)) == [], "a worker outlived its killed run"
        landed.append((_recorded(workspace), alive))
        print("killed with", landed[-1][0], "of", total, "files in the store", "" if alive else "(it had ended)")
        again = subprocess.run(_ingest_cmd(folder, workspace), capture_output=True, text=True, timeout=300)
        assert again.returncode in (0, 1), again.stderr
        _check_store(workspace, folder)
        complete = _recorded(workspace)  # what a whole run records (a copy received twice is recorded once)
    assert any(n <= 0 and alive for n, alive in landed), landed  # a kill before the first commit
    # and one after a commit with files still to be recorded: never only kills of a run that had finished
    assert any(0 < n < complete and alive for n, alive in landed), (landed, complete)


@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_run_that_started_them(tmp_path, long_inbox, signal_number):
    folder = long_inbox
    workspace = tmp_path / "ws"
    # stdout goes into a pipe, like "ingest --json | wc -c": the reader must see its end
    process = subprocess.Popen(_ingest_cmd(folder, workspace), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    while process.poll() is None and _recorded(workspace) < 1:
        time.sleep(0.005)
    assert len(_processes_of(str(workspace))) > 1, "the run had no workers when it was stopped"
    process.send_signal(signal_number)
    process.wait(timeout=10)
    assert _none_left(str(workspace)) == []
    assert process.stdout is not None
    process.stdout.read()  # returns only once no process holds the pipe's end
    assert not list(workspace.glob(".~tmp-*")) and not list(workspace.rglob(".~tmp-*"))


def test_two_ingests_at_once_on_one_workspace(tmp_path):
    folder = shipped_dir("samples") / "round-2"
    workspace = tmp_path / "ws"
    first = subprocess.Popen(_ingest_cmd(folder, workspace, "--round", "2"), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    second = subprocess.Popen(_ingest_cmd(folder, workspace, "--round", "2"), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    outs = [p.communicate(timeout=300) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], [o[1][-500:] for o in outs]
    _check_store(workspace, folder)
    import json

    verdicts = [{f["path"]: f["verdict"] for f in json.loads(out)["files"]} for out, _ in outs]
    for path in verdicts[0]:
        pair = [verdicts[0][path], verdicts[1][path]]
        assert sum(v != "already-received" for v in pair) == 1, (path, pair)  # recorded by exactly one run


def test_a_write_that_fails_half_way_leaves_the_old_file(tmp_path, monkeypatch):
    from ihanoi_report.files import write_atomically

    target = tmp_path / "Tong-hop.xlsx"
    target.write_bytes(b"old report")

    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    from ihanoi_report.errors import OutputError

    with pytest.raises(OutputError, match="No space left"):
        write_atomically(target, broken, force=True)
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["Tong-hop.xlsx"]


# --- nothing hostile gets through ---------------------------------------------------------

def test_formula_like_text_from_a_workbook_stays_text_in_every_output(filled_form, tmp_path, campaign, registry):
    inbox = tmp_path / "inbox"
    path = filled_form(inbox / "a.xlsx", "PB-NV", 1)
    wb = openpyxl.load_workbook(path)
    ws = wb["Báo cáo"]
    ws["C16"] = "=cmd|' /C calc'!A0"  # the preparer's name, typed as text
    ws["C16"].data_type = "s"
    ws["D13"] = "@SUM(1+1)"  # a count typed as a formula-like text
    wb.save(path)
    workspace = Workspace(tmp_path / "ws")
    report = ingest_folder(inbox, workspace, campaign, registry, 1)
    assert report.files[0].verdict.value == "rejected"
    from ihanoi_report.checks import FOR_THE_OFFICE
    from ihanoi_report.files import feedback_stems
    from ihanoi_report.xlsx.feedback import write_feedback_files
    from ihanoi_report.xlsx.findings import write_findings_workbook

    listing = write_findings_workbook(report.files, tmp_path / "loi.xlsx", force=False)
    with Store(workspace.store_path) as store:
        names = feedback_stems([f.path for f in report.files])
        (copy,) = write_feedback_files(report.files, names, tmp_path / "fb", store.original, force=False,
                                         office=FOR_THE_OFFICE)
    for produced in (listing, copy):
        book = openpyxl.load_workbook(produced)
        sheet = book.worksheets[0]  # the sheets we wrote ourselves
        assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    texts = [c.value for row in openpyxl.load_workbook(listing).active.iter_rows() for c in row]
    assert any(isinstance(v, str) and "@SUM(1+1)" in v for v in texts)
    with sqlite3.connect(workspace.store_path) as db:
        assert db.execute("SELECT preparer FROM submissions").fetchone() == ("=cmd|' /C calc'!A0",)


def test_unit_names_never_escape_the_output_folder(tmp_path, campaign):
    from ihanoi_report.units import Registry, Unit
    from ihanoi_report.xlsx.forms import write_forms

    unit = Unit("XA-1", "../../etc/passwd \\ C:\\Windows /x", "xa", True, None, "")
    registry = Registry([unit], campaign.groups, tmp_path / "units.csv")
    out = tmp_path / "out"
    (written,) = write_forms(campaign, registry, [unit], campaign.round(1), out).written
    assert written.parent == out and written.name.isascii() and ".." not in written.name


def test_macros_are_never_copied_into_feedback(filled_form, tmp_path, campaign, registry):
    path = filled_form(tmp_path / "in" / "a.xlsx", "PB-NV", 1,
                       {"PB-NV": {"staff_total": 5, "staff_installed": 9}})
    xlsm = tmp_path / "in" / "a.xlsm"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(xlsm, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"Attribute VB_Name = \"Evil\"")
    path.unlink()
    report = ingest_folder(tmp_path / "in", Workspace(tmp_path / "ws"), campaign, registry, 1)
    assert report.files[0].verdict.value == "rejected"
    from ihanoi_report.checks import FOR_THE_OFFICE
    from ihanoi_report.files import feedback_stems
    from ihanoi_report.xlsx.feedback import write_feedback_files

    with Store(tmp_path / "ws" / "ihanoi.sqlite") as store:
        names = feedback_stems([f.path for f in report.files])
        (copy,) = write_feedback_files(report.files, names, tmp_path / "fb", store.original, force=False,
                                         office=FOR_THE_OFFICE)
    assert copy.suffix == ".xlsx"
    assert "vbaProject" not in str(zipfile.ZipFile(copy).namelist()) and "Báo cáo" in openpyxl.load_workbook(
        copy).sheetnames  # the form itself came back, marked
    with zipfile.ZipFile(copy) as archive:
        assert not [n for n in archive.namelist() if "vba" in n.lower()]


def test_reader_limits_are_checked_before_reading(tmp_path):
    with pytest.raises(ReadFailure) as failure:
        read_form(tmp_path / "b.xlsx", _xlsx({"xl/worksheets/sheet1.xml": _bomb_rows(60)}), SPEC)
    assert failure.value.code == "file-too-large"


def test_the_quick_zip_reader_lists_what_zipfile_lists(tmp_path):
    """check_container reads the central directory itself; it must agree with zipfile wherever it answers."""
    from ihanoi_report.reader import check_container
    from ihanoi_report.sheet_xml import zip_members

    files = [p for p in (*CORPUS.rglob("*"), *shipped_dir("samples").rglob("*")) if p.is_file()]
    compared = 0
    for path in files:
        data = path.read_bytes()
        if not data.startswith(b"PK\x03\x04"):
            continue
        try:
            with zipfile.ZipFile(path) as archive:
                expected = [(i.filename, i.file_size, i.compress_size, i.header_offset) for i in archive.infolist()]
        except zipfile.BadZipFile:  # the quick reader refuses it, or leaves it to zipfile, which refuses it
            with pytest.raises(ReadFailure):
                check_container(data)
            continue
        quick = zip_members(data)
        if quick is not None:
            assert [(m.name, m.unpacked, m.packed, m.offset) for m in quick] == expected, path.name
            compared += 1
    assert compared >= 20
    with pytest.raises(ValueError):
        zip_members(data[: len(data) // 2])  # cut short, as an interrupted download


def test_outputs_are_readable_by_others_as_any_saved_file(tmp_path):
    import os
    import stat

    from ihanoi_report.files import write_atomically

    path = write_atomically(tmp_path / "out.txt", lambda tmp: tmp.write_text("x"), force=False)
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask
