"""Nothing lost under faults (issue: nothing lost, nothing unseen): every output survives a fault, a refused
run changes nothing, read commands write nothing, and what a run reports can be made again from the store.

Each test names the fault it reproduces; docs/robustness.md lists them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from ihanoi_report.config import shipped_dir
from ihanoi_report.errors import ExitCode

ROUND_3 = shipped_dir("samples") / "round-3"


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None, stdout: int | None = None
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ihanoi_report", *args], text=True, cwd=cwd, timeout=300,
                          stdout=stdout if stdout is not None else subprocess.PIPE, stderr=subprocess.PIPE,
                          env={**os.environ, "IHANOI_WIDTH": "200", **(env or {})})


def _inbox(tmp_path: Path, names: list[str], folder: str = "hop-thu") -> Path:
    inbox = tmp_path / folder
    inbox.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(ROUND_3 / name, inbox / name)
    return inbox


def _said(stderr: str) -> str:
    """The words of an error panel, without its frame and line breaks."""
    return " ".join(stderr.replace("│", " ").split())


def _recorded(workspace: Path) -> int:
    with sqlite3.connect(workspace / "ihanoi.sqlite") as db:
        return int(db.execute("SELECT count(*) FROM submissions").fetchone()[0])


WRONG = ["iHanoi-lan-3_XA-09625_xa-phu-cuong.xlsx", "iHanoi-lan-3_XA-09640_xa-phong-van.xlsx"]
RIGHT = ["iHanoi-lan-3_XA-09631_xa-tan-hong.xlsx", "iHanoi-lan-3_PB-NV_phong-noi-vu.xlsx"]


# --- 1. the error list and the copies are checked before the store, and can be made again from it -------------

def test_the_readme_run_again_is_refused_before_the_store_is_touched(run_cli, workspace, tmp_path):
    inbox = _inbox(tmp_path, WRONG)
    args = ("ingest", str(inbox), "--round", "3", "--feedback", str(tmp_path / "phan-hoi"), "--report",
            str(tmp_path / "loi-lan-3.xlsx"))
    code, _out, err = run_cli(*args)
    assert code == ExitCode.INPUT_ERRORS, err
    _inbox(tmp_path, ["iHanoi-lan-3_XA-09634_xa-van-thang.xls"])  # one more file arrived
    before = _recorded(workspace.root)
    code, _out, err = run_cli(*args)
    assert code == ExitCode.FAILED and "--force" in err
    assert _recorded(workspace.root) == before  # refused whole: the new file is not recorded
    code, _out, err = run_cli(*args, "--force")
    assert code == ExitCode.INPUT_ERRORS and _recorded(workspace.root) == before + 1
    copies = sorted(p.name for p in (tmp_path / "phan-hoi").iterdir())
    assert copies == ["ihanoi-lan-3-xa-09625-xa-phu-cuong_can-sua.xlsx",
                      "ihanoi-lan-3-xa-09640-xa-phong-van_can-sua.xlsx"]
    listing = openpyxl.load_workbook(tmp_path / "loi-lan-3.xlsx").active
    codes = {row[6] for row in listing.iter_rows(values_only=True)}
    assert {"installed-gt-smartphones", "value-not-integer"} <= codes  # the files received before say it again


def test_two_returns_of_one_name_in_two_subfolders_get_a_copy_each(run_cli, workspace, tmp_path):
    inbox = tmp_path / "hop-thu"
    for sub, name in (("zalo", WRONG[0]), ("email", WRONG[1])):
        (inbox / sub).mkdir(parents=True)
        shutil.copy(ROUND_3 / name, inbox / sub / "bao-cao.xlsx")
    code, _out, err = run_cli("ingest", str(inbox), "--round", "3", "--feedback", str(tmp_path / "fb"))
    assert code == ExitCode.INPUT_ERRORS, err
    assert sorted(p.name for p in (tmp_path / "fb").iterdir()) == ["bao-cao-2_can-sua.xlsx", "bao-cao_can-sua.xlsx"]


def test_feedback_makes_the_list_and_the_copies_again_from_the_store(run_cli, workspace, tmp_path):
    inbox = _inbox(tmp_path, WRONG + RIGHT)
    code, _out, _err = run_cli("ingest", str(inbox), "--round", "3", "--feedback", str(tmp_path / "first"),
                               "--report", str(tmp_path / "first.xlsx"))
    assert code == ExitCode.INPUT_ERRORS
    code, _out, err = run_cli("feedback", "--round", "3", "--out", str(tmp_path / "again"), "--report",
                             str(tmp_path / "again.xlsx"))
    assert code == ExitCode.OK, err
    assert sorted(p.name for p in (tmp_path / "again").iterdir()) == sorted(
        p.name for p in (tmp_path / "first").iterdir())

    def listed(path: Path) -> list[tuple[object, ...]]:
        return [row[1:] for row in openpyxl.load_workbook(path).active.iter_rows(min_row=4, values_only=True)]

    assert listed(tmp_path / "again.xlsx") == listed(tmp_path / "first.xlsx")


def test_a_copy_that_fails_after_the_store_says_how_to_make_it_again(run_cli, workspace, tmp_path, monkeypatch):
    from ihanoi_report.xlsx import feedback

    inbox = _inbox(tmp_path, WRONG)
    original = feedback.write_feedback

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(feedback, "write_feedback", disk_full)
    code, _out, err = run_cli("ingest", str(inbox), "--round", "3", "--feedback", str(tmp_path / "fb"))
    assert code == ExitCode.FAILED and "ihanoi-report feedback --round 3" in _said(err), err
    assert not (tmp_path / "fb").exists() and not list(tmp_path.glob(".~tmp-*"))
    monkeypatch.setattr(feedback, "write_feedback", original)  # the disk has room again
    code, _out, err = run_cli("feedback", "--round", "3", "--out", str(tmp_path / "fb"), "--report",
                              str(tmp_path / "loi.xlsx"))
    assert code == ExitCode.OK and len(list((tmp_path / "fb").iterdir())) == 2


# --- 2. a folder of outputs is all or nothing ----------------------------------------------------------------

def test_summary_failing_half_way_leaves_the_old_folder_as_it_was(run_cli, workspace, tmp_path, monkeypatch):
    from ihanoi_report.office import demo
    from ihanoi_report.round_report import charts

    demo(workspace.root)
    pack = tmp_path / "pack"
    code, _out, err = run_cli("summary", "--round", "3", "--out", str(pack))
    assert code == ExitCode.OK, err
    before = {p.name: p.read_bytes() for p in pack.iterdir()}

    def fails(*_args: object, **_kw: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C (or SIGTERM, raised the same way) after the .docx was written

    monkeypatch.setattr(charts, "target_picture", fails)
    code, _out, err = run_cli("summary", "--round", "3", "--out", str(pack), "--force")
    assert code == 130 and "Đã dừng theo yêu cầu. Không tệp kết quả nào bị ghi dở" in " ".join(err.split())
    assert {p.name: p.read_bytes() for p in pack.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~tmp-")]


def test_a_new_pack_leaves_no_picture_of_the_old_one(tmp_path):
    from ihanoi_report.files import bundle

    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "a.docx").write_text("old")
    (folder / "old-picture.png").write_text("old")
    (folder / "mine.txt").write_text("the officer's own note")
    with bundle(folder, ["a.docx", "old-picture.png"], force=True) as staging:
        (staging / "a.docx").write_text("new")
    assert sorted(p.name for p in folder.iterdir()) == ["a.docx", "mine.txt"]
    assert (folder / "a.docx").read_text() == "new" and (folder / "mine.txt").read_text() == "the officer's own note"


# --- 6. only regular files are replaced; read commands write nothing; every failure says what -----------------

@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ihanoi_report.office import demo

    root = tmp_path_factory.mktemp("demo")
    demo(root)
    return root


def test_force_never_replaces_a_device_or_a_pipe(demo_workspace, tmp_path):
    fifo = tmp_path / "null"
    os.mkfifo(fifo)
    for target in (fifo, Path(os.devnull)):
        done = _cli("consolidate", "--round", "3", "--out", str(target), "--force", cwd=demo_workspace)
        assert done.returncode == ExitCode.FAILED and "không phải là một tệp thông thường" in done.stderr
    assert fifo.is_fifo() and Path(os.devnull).is_char_device()


@pytest.mark.parametrize("content", [b"", "foreign"])
def test_a_read_command_never_takes_an_empty_or_foreign_file_for_its_store(tmp_path, content):
    store = tmp_path / "ihanoi.sqlite"
    if content == "foreign":
        with sqlite3.connect(store) as db:
            db.execute("CREATE TABLE contacts (name TEXT)")
    else:
        store.write_bytes(content)
    before = store.read_bytes()
    for command in (("status", "--round", "3"), ("consolidate", "--round", "3"), ("ingest", str(tmp_path / "in"))):
        (tmp_path / "in").mkdir(exist_ok=True)
        done = _cli(*command, cwd=tmp_path)
        assert done.returncode == ExitCode.FAILED, (command, done.stderr)
        assert "không phải là kho dữ liệu của ihanoi-report" in _said(done.stderr), command
        assert store.read_bytes() == before, command
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ihanoi.sqlite", "in"]


def test_a_damaged_store_says_how_to_recover(demo_workspace, tmp_path):
    shutil.copy(demo_workspace / "ihanoi.sqlite", tmp_path / "ihanoi.sqlite")
    size = (tmp_path / "ihanoi.sqlite").stat().st_size
    with open(tmp_path / "ihanoi.sqlite", "r+b") as handle:  # pages in the middle overwritten
        for offset in range(8192, size - 4096, 65536):
            handle.seek(offset)
            handle.write(os.urandom(4096))
    done = _cli("consolidate", "--round", "3", "--out", str(tmp_path / "th.xlsx"), cwd=tmp_path)
    assert done.returncode == ExitCode.FAILED and "Traceback" not in done.stderr
    assert "bị hỏng" in done.stderr and "ihanoi-report recover" in _said(done.stderr)
    assert str(tmp_path / "ihanoi.sqlite") in _said(done.stderr).replace(" ", "")  # its whole path, not a bare name


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_standard_output_on_a_full_disk_is_the_tools_failure(demo_workspace):
    with open("/dev/full", "w") as full:
        done = _cli("status", "--round", "3", "--json", cwd=demo_workspace, stdout=full.fileno())
    assert done.returncode == ExitCode.FAILED, done.stderr
    assert "Không ghi được kết quả ra đầu ra chuẩn" in done.stderr and "Traceback" not in done.stderr


def test_template_where_it_cannot_write_is_exit_3_naming_the_path(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    done = _cli("template", "--round", "1", "--out", str(tmp_path / "a-file" / "forms"), cwd=tmp_path)
    assert done.returncode == ExitCode.FAILED and "a-file" in done.stderr and "Traceback" not in done.stderr


def test_a_workspace_that_does_not_exist_is_said_not_created(tmp_path):
    missing = tmp_path / "no" / "such"
    (tmp_path / "in").mkdir()
    done = _cli("ingest", str(tmp_path / "in"), cwd=tmp_path, env={"IHANOI_WORKSPACE": str(missing)})
    assert done.returncode == ExitCode.USAGE and "Không có thư mục làm việc" in done.stderr
    assert not (tmp_path / "no").exists()
    done = _cli("status", "--workspace", str(missing), cwd=tmp_path)
    assert done.returncode == ExitCode.USAGE and not (tmp_path / "no").exists()


# --- 8. deep folders, links out of the inbox -------------------------------------------------------------------

def test_a_folder_nested_1200_deep_is_walked(tmp_path, blank_form):
    from ihanoi_report.ingest import walk

    deep = tmp_path / "in"
    deep.mkdir()
    for _ in range(1200):  # one by one: os.makedirs itself recurses
        deep = deep / "d"
        deep.mkdir()
    try:
        blank_form(deep / "form.xlsx", "PB-NV", 1)
        assert [(e.path.name, e.reason) for e in walk(tmp_path / "in")] == [("form.xlsx", None)]
    finally:  # removed here, from the bottom up: shutil.rmtree (pytest's clean-up) recurses too
        (deep / "form.xlsx").unlink(missing_ok=True)
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


def test_a_link_out_of_the_inbox_is_not_followed(run_cli, workspace, tmp_path, filled_form):
    outside = filled_form(tmp_path / "private" / "secret.xlsx", "PB-NV", 1)
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "link.xlsx").symlink_to(outside)
    (inbox / "folder").symlink_to(outside.parent)
    code, out, _err = run_cli("ingest", str(inbox), "--json")
    import json

    assert code == ExitCode.OK
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert {name: f["verdict"] for name, f in files.items()} == {"folder": "skipped", "link.xlsx": "skipped"}
    assert not (workspace.root / "ihanoi.sqlite").exists() or _recorded(workspace.root) == 0


FIGURES_IN_USE = ("SELECT s.round, f.unit_code, f.column_key, f.value FROM figures f "
                  "JOIN submissions s ON s.id = f.submission_id WHERE s.status = 'accepted' ORDER BY 1, 2, 3")


def test_recover_takes_every_original_out_and_a_new_store_gives_the_same_figures(demo_workspace, tmp_path):
    work = tmp_path / "ws"
    work.mkdir()
    shutil.copy(demo_workspace / "ihanoi.sqlite", work / "ihanoi.sqlite")
    done = _cli("recover", "--out", str(tmp_path / "khoi-phuc"), cwd=work)
    assert done.returncode == ExitCode.OK, done.stderr
    with sqlite3.connect(demo_workspace / "ihanoi.sqlite") as db:
        held = db.execute("SELECT count(*) FROM files").fetchone()[0]
        before = db.execute(FIGURES_IN_USE).fetchall()
    assert len(list((tmp_path / "khoi-phuc").rglob("*.*"))) == held
    (work / "ihanoi.sqlite").rename(work / "ihanoi-hong.sqlite")
    commands = [line.split()[1:] for line in done.stdout.splitlines() if line.strip().startswith("ihanoi-report")]
    assert [c[-1] for c in commands][:4] == ["1", "2", "3", "4"]  # each round with its folder, then the others
    for command in commands:  # as the tool says to run them
        again = _cli(*command, cwd=work)
        assert again.returncode in (ExitCode.OK, ExitCode.INPUT_ERRORS), again.stderr
    with sqlite3.connect(work / "ihanoi.sqlite") as db:
        after = db.execute(FIGURES_IN_USE).fetchall()
    assert after == before


def test_recover_reads_what_a_damaged_store_still_holds(demo_workspace, tmp_path):
    shutil.copy(demo_workspace / "ihanoi.sqlite", tmp_path / "ihanoi.sqlite")
    size = (tmp_path / "ihanoi.sqlite").stat().st_size
    with open(tmp_path / "ihanoi.sqlite", "r+b") as handle:
        handle.seek(size // 2)
        handle.write(os.urandom(8192))
    done = _cli("recover", "--out", str(tmp_path / "khoi-phuc"), cwd=tmp_path)
    assert done.returncode in (ExitCode.OK, ExitCode.FAILED) and "Traceback" not in done.stderr
    assert len(list((tmp_path / "khoi-phuc").rglob("*.*"))) > 0


# --- 4. text from outside is made safe at every sink ------------------------------------------------------------

def test_a_control_character_in_a_cell_gets_its_feedback_copy(run_cli, workspace, tmp_path, filled_form):
    path = filled_form(tmp_path / "in" / "a.xlsx", "PB-NV", 3, {"PB-NV": {"staff_total": 5, "staff_installed": 9}})
    book = openpyxl.load_workbook(path)
    book["Báo cáo"]["C16"] = "Nguyễn_x0001_Văn A"  # how Excel itself writes a control character
    book["Báo cáo"]["D13"] = "5_x001B_[2J"  # an ESC sequence ("clear the screen") typed into a count
    book.save(path)
    code, out, err = run_cli("ingest", str(tmp_path / "in"), "--round", "3", "--feedback", str(tmp_path / "fb"),
                             "--report", str(tmp_path / "loi.xlsx"))
    assert code == ExitCode.INPUT_ERRORS, err
    assert "\x1b" not in out + err and "\\x1b[2J" in out
    (copy,) = (tmp_path / "fb").iterdir()
    assert openpyxl.load_workbook(copy).sheetnames[0] == "Cần sửa"
    assert openpyxl.load_workbook(tmp_path / "loi.xlsx").active.max_row > 3


def test_a_file_name_cannot_print_a_line_of_its_own_or_drive_the_terminal(run_cli, workspace, tmp_path, filled_form):
    inbox = tmp_path / "in"
    filled_form(inbox / "x.xlsx", "PB-NV", 3, {"PB-NV": {"staff_total": 5, "staff_installed": 9}})
    (inbox / "x.xlsx").rename(inbox / "bao cao\n  iHanoi-lan-3_PB-YT.xlsx — đã nhận\x1b]0;title\x07.xlsx")
    code, out, err = run_cli("ingest", str(inbox), "--round", "3", "--all")
    assert code == ExitCode.INPUT_ERRORS
    assert not any(c in out + err for c in "\x1b\x07")
    assert "\\x0a" in out and not any(line.startswith("  iHanoi-lan-3_PB-YT") for line in out.splitlines())


def test_a_control_character_in_units_csv_is_refused_with_its_line(tmp_path, campaign):
    from ihanoi_report.errors import ConfigError
    from ihanoi_report.units import load_registry

    text = (shipped_dir("templates") / "units.csv").read_text(encoding="utf-8-sig").splitlines()
    text[4] = text[4].replace("Phòng", "Phòng\x0b", 1)
    (tmp_path / "units.csv").write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_registry(tmp_path / "units.csv", campaign.groups)
    assert "dòng 5" in raised.value.message and "U+000B" in raised.value.message


# --- 7. the office's own files as Excel saves them ----------------------------------------------------------------

def _cp1258(text: str) -> bytes:
    """How Excel on a Vietnamese Windows saves "CSV": Windows-1258, letters with their tone marks apart."""
    import unicodedata

    tones = set("\u0300\u0301\u0303\u0309\u0323")
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:  # "ệ": the code page has "ê", and the dot below as a mark of its own
            marks = unicodedata.normalize("NFD", char)
            shaped = unicodedata.normalize("NFC", "".join(m for m in marks if m not in tones))
            out += (shaped + "".join(m for m in marks if m in tones)).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize("saved_as", ["utf-8", "utf-8-sig", "cp1258", "utf-16-tabs", "semicolons"])
def test_units_csv_as_excel_saves_it_reads_the_same(tmp_path, campaign, registry, saved_as):
    from ihanoi_report.units import load_registry

    text = (shipped_dir("templates") / "units.csv").read_text(encoding="utf-8-sig")
    rows = list(__import__("csv").reader(text.splitlines()))
    if saved_as == "utf-16-tabs":
        data = "\r\n".join("\t".join(r) for r in rows).encode("utf-16")
    elif saved_as == "semicolons":
        data = "\r\n".join(";".join(f'"{c}"' if ";" in c else c for c in r) for r in rows).encode("utf-8-sig")
    elif saved_as == "cp1258":
        data = _cp1258(text.replace("\n", "\r\n"))
    else:
        data = text.encode(saved_as)
    (tmp_path / "units.csv").write_bytes(data)
    loaded = load_registry(tmp_path / "units.csv", campaign.groups)
    assert [(u.code, u.name, u.parent) for u in loaded.units] == [(u.code, u.name, u.parent) for u in registry.units]


def test_units_csv_in_another_code_page_is_refused_naming_the_line(tmp_path, campaign):
    from ihanoi_report.errors import ConfigError
    from ihanoi_report.units import load_registry

    text = "code,name,group,has_residents,parent,contact\nPB-NV,Phòng Nội vụ,phong-ban,0,,\nPB-X,Отдел,phong-ban,0,,\n"
    (tmp_path / "units.csv").write_bytes(text.replace("Phòng Nội vụ", "Phong Noi vu").encode("cp1251"))
    with pytest.raises(ConfigError) as raised:
        load_registry(tmp_path / "units.csv", campaign.groups)
    assert "dòng 3" in raised.value.message and "Windows-1258" in raised.value.message


def test_a_name_with_a_line_break_in_quotes_keeps_the_later_line_numbers(tmp_path, campaign):
    from ihanoi_report.errors import ConfigError
    from ihanoi_report.units import load_registry

    text = ('code,name,group,has_residents,parent,contact\nPB-NV,Phòng Nội vụ,phong-ban,0,,"a@x.vn\nb@x.vn"\n'
            'PB-TP,Phòng Tư pháp,phong-ban,0,,\nPB-X,Sai nhóm,khong-co,0,,\n')
    (tmp_path / "units.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_registry(tmp_path / "units.csv", campaign.groups)
    assert "dòng 5" in raised.value.message  # physical line 5, though it is the fourth record
    (tmp_path / "units.csv").write_text(text.replace("khong-co", "phong-ban"), encoding="utf-8")
    assert load_registry(tmp_path / "units.csv", campaign.groups).get("PB-NV").contact == "a@x.vn; b@x.vn"
    (tmp_path / "units.csv").write_text(text.replace("Phòng Nội vụ", '"Phòng\nNội vụ"'), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:  # a name is one line: the break is refused where it is
        load_registry(tmp_path / "units.csv", campaign.groups)
    assert "dòng 2" in raised.value.message and "U+000A" in raised.value.message


def _line_in_section(lines: list[str], header: str, occurrence: int, key: str) -> int:
    """The 1-based line of ``key =`` in the ``occurrence``-th ``header`` section of the shipped campaign.toml."""
    starts = [i for i, line in enumerate(lines) if line.strip() == header]
    start = starts[occurrence]
    return next(i for i in range(start + 1, len(lines)) if lines[i].split("=")[0].strip() == key) + 1


@pytest.mark.parametrize(("where", "text"), [(("[[rounds]]", 2), 'number = "ba"'),
                                             (("[targets.residents]", 0), 'share = "mot"'),
                                             (("[targets.residents]", 0), "share = 1.5")])
def test_a_config_error_names_the_line_it_is_on(tmp_path, where, text):
    from ihanoi_report.config import load_campaign
    from ihanoi_report.errors import ConfigError

    lines = (shipped_dir("templates") / "campaign.toml").read_text(encoding="utf-8").splitlines()
    line = _line_in_section(lines, *where, text.split("=")[0].strip())  # the same key stands earlier elsewhere
    lines[line - 1] = text
    (tmp_path / "campaign.toml").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_campaign(tmp_path / "campaign.toml")
    assert f"dòng {line}:" in raised.value.message


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_any_text_from_outside_passes_through_every_writer(text):
    """What a clerk's cell or file name can hold, written by each writer the tool has, then read back."""
    import io
    import json

    import docx
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from ihanoi_report.round_report.document import _line
    from ihanoi_report.safe_text import for_terminal
    from ihanoi_report.xlsx.feedback import _text_cell
    from ihanoi_report.xlsx.styles import write

    made = io.BytesIO()  # XlsxWriter: every workbook made from scratch
    book = xlsxwriter.Workbook(made, {"in_memory": True})
    write(book.add_worksheet(), 0, 0, text, book.add_format())
    book.close()
    CalamineWorkbook.from_filelike(io.BytesIO(made.getvalue())).get_sheet_by_index(0).to_python()
    copy = openpyxl.Workbook()  # openpyxl: the clerks' marked copies
    _text_cell(copy.active, 1, 1, text)
    saved = io.BytesIO()
    copy.save(saved)
    openpyxl.load_workbook(io.BytesIO(saved.getvalue()))
    document = docx.Document()  # python-docx: the report for the leaders
    _line(document, text)
    written = io.BytesIO()
    document.save(written)
    docx.Document(io.BytesIO(written.getvalue()))
    assert json.loads(json.dumps({"v": text}, ensure_ascii=False)) == {"v": text}  # --json keeps it, escaped
    shown = for_terminal(text, lines=False)  # the terminal
    assert not [c for c in shown if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in "\u202a\u202b\u202c\u202d\u202e"]


# --- 3. the tool never reads its own outputs as returns ------------------------------------------------------------

def test_the_feedback_folder_inside_the_inbox_is_never_read_as_returns(run_cli, workspace, tmp_path):
    inbox = _inbox(tmp_path, [*WRONG, *RIGHT, "iHanoi-lan-3_PB-GDDT_phong-giao-duc-va-dao-tao.xlsx"])
    first = ("ingest", str(inbox), "--round", "3", "--feedback", str(inbox / "phan-hoi"), "--report",
             str(inbox / "loi.xlsx"))
    code, _out, err = run_cli(*first)
    assert code == ExitCode.INPUT_ERRORS, err
    copies = sorted(p.name for p in (inbox / "phan-hoi").iterdir())
    assert copies == ["ihanoi-lan-3-xa-09625-xa-phu-cuong_can-sua.xlsx",
                      "ihanoi-lan-3-xa-09640-xa-phong-van_can-sua.xlsx"]  # schools below the target: nothing to fix
    recorded = _recorded(workspace.root)
    (inbox / "phan-hoi").rename(inbox / "lan-truoc")  # last run's copies, now an ordinary folder of the inbox
    code, out, err = run_cli("ingest", str(inbox), "--round", "3", "--json")
    import json

    verdicts = {Path(f["path"]).name: (f["verdict"], f.get("reason", "")) for f in json.loads(out)["files"]}
    assert {name: verdicts[name] for name in [*copies, "loi.xlsx"]} == {
        **dict.fromkeys(copies, ("skipped", "feedback-unchanged")), "loi.xlsx": ("skipped", "tool-output")}
    assert _recorded(workspace.root) == recorded and code == ExitCode.INPUT_ERRORS  # the two wrong files, again


def test_the_ranking_dropped_into_the_inbox_is_not_a_return(run_cli, workspace, tmp_path):
    from ihanoi_report.office import demo

    demo(workspace.root)
    code, _out, err = run_cli("rank", "--out", str(tmp_path / "in" / "xep-hang.xlsx"))
    assert code == ExitCode.OK, err
    code, out, _err = run_cli("ingest", str(tmp_path / "in"), "--json")
    import json

    (file,) = json.loads(out)["files"]
    assert (file["verdict"], file.get("reason")) == ("skipped", "tool-output") and code == ExitCode.OK


@pytest.mark.lo_fill
def test_a_copy_the_clerk_corrected_is_the_units_new_report(run_cli, workspace, tmp_path, libreoffice):
    inbox = _inbox(tmp_path, [WRONG[0]])  # Phú Cường: installed (G13) above smartphone owners
    code, _out, _err = run_cli("ingest", str(inbox), "--round", "3", "--feedback", str(tmp_path / "fb"))
    assert code == ExitCode.INPUT_ERRORS
    (copy,) = (tmp_path / "fb").iterdir()
    again = tmp_path / "hop-thu-2"
    again.mkdir()
    libreoffice.fill(copy, again / copy.name, "--unprotect", "Báo cáo", "--set", "'Báo cáo'!G13=9549")
    code, out, err = run_cli("ingest", str(again), "--round", "3", "--json")
    import json

    (file,) = json.loads(out)["files"]
    assert code == ExitCode.OK and file["verdict"] in ("accepted", "accepted-with-warnings"), (file, err)
    assert file["unit"] == "XA-09625"


# --- 9. the form's own sub-labels on one header row ------------------------------------------------------------------

def _one_row_form(path: Path, header: list[str], row: list[object]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for line in (["BÁO CÁO iHANOI LẦN 2"], [], header, row, [], ["", "Ngày báo cáo:", "24/7/2024"]):
        sheet.append(line)
    book.save(path)
    return path


SUB_LABELS = ["STT", "Tên đơn vị", "Tổng số", "Đã cài đặt iHanoi", "Tổng số người dân trên địa bàn",
              "Số người dân có điện thoại thông minh", "Số người dân đã cài đặt iHanoi"]


@pytest.mark.lo_fill
def test_the_forms_own_sub_labels_on_one_row_are_read_by_elimination(libreoffice, tmp_path, campaign, registry):
    from ihanoi_report.config import Workspace
    from ihanoi_report.ingest import ingest_folder

    source = _one_row_form(tmp_path / "src.xlsx", SUB_LABELS, [1, "Xã Vân Hòa", 30, 30, 15000, 11000, 9000])
    ambiguous = _one_row_form(tmp_path / "src2.xlsx", [*SUB_LABELS[:4], "Tổng số", *SUB_LABELS[5:]],
                              [1, "Xã Vân Hòa", 30, 29, 15000, 11000, 9000])  # two "Tổng số": no single reading
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    libreoffice.fill(source, inbox / "mot-dong.xlsx", "--locale", "vi-VN")
    libreoffice.fill(ambiguous, inbox / "hai-tong-so.xlsx", "--locale", "vi-VN")
    report = ingest_folder(inbox, Workspace(tmp_path / "ws"), campaign, registry, 2)
    files = {Path(f.path).name: f for f in report.files}
    good = files["mot-dong.xlsx"]
    assert good.verdict.value == "accepted" and good.unit == "XA-09706", good.findings
    (said,) = [f for f in good.findings if f.code == "column-by-elimination"]
    assert said.cell == "C3" and "C3 = Cài đặt cho CBCCVC của cơ quan: Tổng số" in said.message and "D3" in said.message
    assert {r.unit: r.counts for r in good.rows}["XA-09706"] == {
        "staff_total": 30, "staff_installed": 30, "residents": 15000, "smartphones": 11000, "residents_installed": 9000}
    assert "column-missing" in [f.code for f in files["hai-tong-so.xlsx"].findings]


# --- 10. a photo, a PDF or a CSV that names a unit -------------------------------------------------------------------

def test_a_pdf_or_a_photo_naming_a_unit_is_sent_back_asking_for_the_excel_file(run_cli, workspace, tmp_path):
    import json

    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "iHanoi-lan-3_XA-09694_xa-tan-linh.pdf").write_bytes(b"%PDF-1.4 a scan")
    (inbox / "bao cao Phòng Nội vụ.jpg").write_bytes(b"\xff\xd8\xff\xe0 a photo")
    (inbox / "bao-cao.csv").write_text("Tổng số;Đã cài\n20;18\n", encoding="utf-8")  # names no unit: skipped
    code, out, err = run_cli("ingest", str(inbox), "--round", "3", "--json", "--feedback", str(tmp_path / "fb"))
    assert code == ExitCode.INPUT_ERRORS, err
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    for name, unit in (("iHanoi-lan-3_XA-09694_xa-tan-linh.pdf", "XA-09694"), ("bao cao Phòng Nội vụ.jpg", "PB-NV")):
        assert (files[name]["verdict"], files[name]["unit"]) == ("rejected", unit)
        assert [f["code"] for f in files[name]["findings"]] == ["not-a-workbook"]
    assert files["bao-cao.csv"]["verdict"] == "skipped"
    assert len(list((tmp_path / "fb").iterdir())) == 2  # each unit gets the sentence back
    code, out, _err = run_cli("status", "--round", "3", "--json")
    rejected = {r["code"] for r in json.loads(out)["reminders"] if r["status"] == "rejected"}
    assert {"XA-09694", "PB-NV"} <= rejected


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_template_stopped_half_way_leaves_no_temporary_file_and_no_worker(tmp_path, signal_name):
    import signal
    import time

    out = tmp_path / "bieu-mau"
    process = subprocess.Popen([sys.executable, "-m", "ihanoi_report", "template", "--round", "3", "--out", str(out)],
                               cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        staging = [p for p in tmp_path.iterdir() if p.name.startswith(".~tmp-")]
        if staging and any(staging[0].iterdir()):  # forms are being written
            break
        time.sleep(0.01)
    assert process.poll() is None, "template finished before it could be stopped"
    process.send_signal(getattr(signal, signal_name))
    assert process.wait(timeout=10) in (130, 143)
    time.sleep(0.5)
    assert [p.name for p in tmp_path.iterdir()] == []  # no staging folder, and no half-made bieu-mau/
    assert _running_with(str(out)) == []


def _running_with(marker: str) -> list[int]:
    """The processes whose command line names ``marker`` (none where /proc is not there to ask)."""
    import contextlib

    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            if marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
    return found


def _zipped(folder: Path, target: Path, inside: str = "Báo cáo lần 3/") -> Path:
    """``folder``'s files in a .zip under one folder, as Windows' "Send to > Compressed folder" makes it, with the
    litter a Mac adds."""
    import zipfile

    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, inside + path.name)
        archive.writestr("__MACOSX/._" + path.name, b"\x00\x05\x16\x07 resource fork")
        archive.writestr("doc-ky.txt", "Gửi anh chị báo cáo các xã.")
    return target


def test_the_workbooks_in_a_zip_are_read_as_if_they_lay_in_the_inbox(tmp_path, campaign, registry):
    """Round 3's samples (LibreOffice wrote them) zipped: each workbook gets the verdict, findings and figures it
    gets loose; the archive itself is listed as read; a second run says of each what it says of the loose files
    (already received, or still wrong)."""
    from ihanoi_report.config import Workspace
    from ihanoi_report.ingest import ingest_folder, walk
    from ihanoi_report.model import Verdict
    from ihanoi_report.store import Store

    samples = shipped_dir("samples") / "round-3"
    inbox = tmp_path / "in"
    inbox.mkdir()
    archive = _zipped(samples, inbox / "bao-cao-cac-xa.zip")
    loose, zipped = Workspace(tmp_path / "loose"), Workspace(tmp_path / "zipped")
    loose.root.mkdir(), zipped.root.mkdir()
    by_loose = {Path(r.path).name: r for r in ingest_folder(samples, loose, campaign, registry, 3).files}
    files = ingest_folder(inbox, zipped, campaign, registry, 3).files

    assert (files[0].path, files[0].verdict, files[0].reason) == (str(archive), Verdict.SKIPPED, "archive-read")
    walked = {Path(e.member).name: e.size for e in walk(inbox) if e.member}  # each member's size, for its batch
    assert all(walked[name] == (samples / name).stat().st_size for name in by_loose)
    members = {Path(r.path).name: r for r in files[1:]}
    assert all(r.path.startswith(f"{archive}/") for r in files[1:])
    assert set(members) == set(by_loose) | {"doc-ky.txt"}  # the photo, the lock file: listed as loose ones are
    assert members.pop("doc-ky.txt").verdict is Verdict.SKIPPED
    assert any(r.verdict is Verdict.REJECTED for r in members.values())
    for name, report in members.items():
        twin = by_loose[name]
        assert (report.verdict, report.reason, report.unit, report.round, [f.code for f in report.findings]) == (
            twin.verdict, twin.reason, twin.unit, twin.round, [f.code for f in twin.findings]), name
    with Store(loose.store_path) as a, Store(zipped.store_path) as b:
        assert {r.unit: [x.counts for x in r.rows] for r in a.accepted(3)} == {
            r.unit: [x.counts for x in r.rows] for r in b.accepted(3)}
        name, sha = next((n, r.sha256) for n, r in members.items() if r.verdict is Verdict.ACCEPTED)
        assert b.original(sha) == (samples / name).read_bytes()  # the member's bytes, not the archive's
    again = {r.path: r.verdict for r in ingest_folder(inbox, zipped, campaign, registry, 3).files[1:]}
    loose_again = {Path(r.path).name: r.verdict for r in ingest_folder(samples, loose, campaign, registry, 3).files}
    assert Verdict.ALREADY_RECEIVED in again.values()
    assert again == {p: loose_again.get(Path(p).name, Verdict.SKIPPED) for p in again}  # doc-ky.txt: skipped


def test_an_archive_the_tool_cannot_open_is_refused_saying_what_to_do(run_cli, workspace, tmp_path):
    import json
    import zipfile

    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "bao-cao-truong.rar").write_bytes(b"Rar!\x1a\x07\x00 seven schools")
    (inbox / "bao-cao-xa.7z").write_bytes(b"7z\xbc\xaf\x27\x1c an archive")
    (inbox / "hong.zip").write_bytes(b"PK\x03\x04" + os.urandom(300))
    with zipfile.ZipFile(inbox / "chi-co-van-ban.zip", "w") as archive:
        archive.writestr("cong-van.txt", "Kính gửi")
    with zipfile.ZipFile(inbox / "lon.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../../iHanoi-lan-3_XA-09694.xlsx", b"\x00" * (21 * 1024 * 1024))
        archive.writestr("iHanoi-lan-3_PB-NV_phong-noi-vu.pdf", b"%PDF-1.4 a scan")
        archive.writestr("cac-truong.zip", b"PK\x05\x06" + b"\x00" * 18)
    code, out, err = run_cli("ingest", str(inbox), "--round", "3", "--json")
    assert code == ExitCode.INPUT_ERRORS, err
    files = {f["path"]: f for f in json.loads(out)["files"]}
    said = {Path(p).name: (f["verdict"], f.get("reason") or [x["code"] for x in f["findings"]])
            for p, f in files.items()}
    assert said == {
        "bao-cao-truong.rar": ("rejected", ["archive-unopened"]),
        "bao-cao-xa.7z": ("rejected", ["archive-unopened"]),
        "hong.zip": ("rejected", ["archive-unreadable"]),
        "chi-co-van-ban.zip": ("skipped", "archive-no-spreadsheet"),
        "lon.zip": ("skipped", "archive-read"),
        "iHanoi-lan-3_XA-09694.xlsx": ("rejected", ["file-too-large"]),  # read no further than the limit
        "iHanoi-lan-3_PB-NV_phong-noi-vu.pdf": ("rejected", ["not-a-workbook"]),  # as it would be loose
        "cac-truong.zip": ("rejected", ["archive-unopened"]),  # an archive in the archive: said, not opened
        "cong-van.txt": ("skipped", "not-spreadsheet"),
    }
    assert f"{inbox / 'lon.zip'}/iHanoi-lan-3_XA-09694.xlsx" in files  # a name that climbs out stays inside
    sentence = next(x["message"] for x in files[str(inbox / "bao-cao-truong.rar")]["findings"])
    assert "giải nén vào thư mục nhận" in sentence and ".zip" in sentence


def test_a_workbook_read_in_a_zip_is_named_from_the_archive_on(run_cli, workspace, tmp_path):
    import zipfile

    from ihanoi_report.model import file_name

    assert file_name("in/bao-cao.zip/Lần 3/a.xlsx") == "bao-cao.zip/Lần 3/a.xlsx"
    assert (file_name("in/a.xlsx"), file_name("in/b.ZIP"), file_name("a.xlsx")) == ("a.xlsx", "b.ZIP", "a.xlsx")
    (tmp_path / "in").mkdir()
    with zipfile.ZipFile(tmp_path / "in" / "gui-lai.zip", "w") as archive:
        archive.writestr("Lần 3/bao-cao.xlsx", b"not a workbook at all")
    code, out, _err = run_cli("ingest", str(tmp_path / "in"), "--round", "3")
    assert code == ExitCode.INPUT_ERRORS and "gui-lai.zip/Lần 3/bao-cao.xlsx" in out  # where the officer finds it
