"""The round's pack for the leaders and the Zalo group: the drafted report says what the consolidated
workbook says, to the unit; the pictures are a phone's width and every Vietnamese letter is drawn."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import warnings
from dataclasses import replace
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from ihanoi_report.errors import ExitCode
from ihanoi_report.office import Office, demo
from ihanoi_report.summary import Part, UnitLine, round_facts


@pytest.fixture(scope="module")
def four_rounds(tmp_path_factory: pytest.TempPathFactory) -> Office:
    """The shipped samples, rounds 1 to 4, in a workspace of their own."""
    root = tmp_path_factory.mktemp("demo")
    demo(root)
    return Office.open(root)


@pytest.fixture(scope="module")
def pack(four_rounds: Office, tmp_path_factory: pytest.TempPathFactory):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing from the font is a warning of matplotlib's
        return four_rounds.summary(four_rounds.campaign.round(3), tmp_path_factory.mktemp("pack"), force=False)


def _docx_text(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    from docx import Document

    document = Document(str(path))
    # A fraction breaks after its slash (a zero-width space there), never inside a number: read as it is seen.
    tables = [[[cell.text.replace("\u200b", "") for cell in row.cells] for row in table.rows]
              for table in document.tables]
    return [p.text for p in document.paragraphs if p.text.strip()], tables


def _workbook_rows(path: Path) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Tổng hợp").to_python()


def _n(value: object) -> str:
    return f"{int(value):,}".replace(",", ".")  # type: ignore[call-overload]


def test_the_report_and_the_workbook_give_the_same_figures_to_the_unit(pack, oracle, registry):
    paragraphs, tables = _docx_text(pack.report)
    rows = _workbook_rows(pack.workbook)
    (total,) = [r for r in rows if r[1] == "TỔNG CỘNG TOÀN HUYỆN"]
    staff, residents = f"{_n(total[3])}/{_n(total[2])}", f"{_n(total[7])}/{_n(total[6])}"
    text = "\n".join(paragraphs)
    assert f"Toàn huyện có {staff} cán bộ, công chức, viên chức" in text
    assert f"Toàn huyện có {residents} người dân có điện thoại thông minh" in text
    groups = next(t for t in tables if t[0][0] == "Nhóm đơn vị")
    assert groups[-1][2] == staff and groups[-1][4] == residents
    subtotals = {str(r[1]).rsplit(" (", 1)[0]: r for r in rows if r[0] in ("I", "II", "III", "IV", "V")}
    for line in groups[1:-1]:
        row = subtotals[line[0]]
        assert line[2] == f"{_n(row[3])}/{_n(row[2])}"
    communes = next(t for t in tables if t[0][1] == "Xã, thị trấn")
    by_name = {str(r[1]): r for r in rows}
    reported = oracle.reporting_units(3) & {u.code for u in registry.units if u.group == "xa"}
    assert len(communes) - 1 == len(reported)
    for line in communes[1:]:
        row = by_name[line[1]]
        assert line[2] == f"{_n(row[7])}/{_n(row[6])}"


def test_the_report_is_an_official_document_with_its_parts_in_order(pack, four_rounds):
    paragraphs, tables = _docx_text(pack.report)
    head = list(tables[0][0])
    assert "ỦY BAN NHÂN DÂN HUYỆN BA VÌ\nPHÒNG VĂN HÓA VÀ THÔNG TIN" in head[0] and "Số:" in head[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in head[1]
    assert "Ba Vì, ngày" in head[1]
    order = ["BÁO CÁO", "Kết quả cài đặt, sử dụng ứng dụng iHanoi (lần 3)", "1. Tình hình báo cáo",
             "2. Kết quả cài đặt đối với cán bộ", "3. Kết quả cài đặt đối với người dân", "4. Chất lượng số liệu",
             "5. Đề xuất"]
    positions = [next(i for i, p in enumerate(paragraphs) if p.startswith(item)) for item in order]
    assert positions == sorted(positions)
    # Nghị định 30: "Như trên" in Nơi nhận stands for the addressee, named under the subject
    assert paragraphs[positions[1] + 1] == "Kính gửi: Ủy ban nhân dân huyện Ba Vì."
    assert "Công điện số 05/CĐ-UBND" in paragraphs[positions[1] + 2]
    assert "Nơi nhận:" in tables[-1][0][0] and "TRƯỞNG PHÒNG" in tables[-1][0][1]
    # Who is awaited is named: the same units status lists as missing or sent back.
    status = four_rounds.status(four_rounds.campaign.round(3))
    awaited = status.view.status[status.view.status["status"].isin(["missing", "rejected"])]["name"]
    reporting = next(p for p in paragraphs if p.startswith("Còn ") and "chưa gửi báo cáo" in p)
    assert all(name in reporting for name in awaited)


def test_a_table_that_runs_onto_the_next_page_keeps_its_header_with_it(pack):
    """Word's and LibreOffice's "repeat header row" on every figures table, no row cut across two pages, and the
    header row with the line before it kept with the first row (no header alone at the foot of a page)."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(str(pack.report))
    figures = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert len(figures) >= 2
    for table in figures:
        head = table.rows[0]
        assert head._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
        assert all(p.paragraph_format.keep_with_next for cell in head.cells for p in cell.paragraphs)
        before = table._tbl.getprevious()
        assert before.tag == qn("w:p") and before.pPr.keepNext is not None
    signature = document.tables[-1].rows[0]
    assert signature._tr.trPr.find(qn("w:cantSplit")) is not None


def test_every_row_of_a_figures_table_has_its_widths_and_only_the_header_and_the_total_are_bold(pack):
    """The rows after the first are copies of it (python-docx took sixteen seconds for a city's four thousand):
    each keeps the grid's widths, and the groups table's last row, the total, is the only bold body row."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(str(pack.report))
    figures = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    for table in figures:
        grid = [column.width for column in table.columns]
        bold = [all(run.bold for cell in row.cells for run in cell.paragraphs[0].runs) for row in table.rows]
        assert all(len(cell.paragraphs[0].runs) == 1 for row in table.rows for cell in row.cells)
        assert all([cell.width for cell in row.cells] == grid for row in table.rows)
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
        total = table.rows[-1].cells[0].text == "Toàn huyện"
        assert bold == [True, *[False] * (len(table.rows) - 2), total], table.rows[0].cells[0].text
    assert sum(table.rows[-1].cells[0].text == "Toàn huyện" for table in figures) == 1
    assert max(len(table.rows) for table in figures) > 3  # copied rows were looked at


def test_every_word_of_the_report_comes_from_campaign_toml(four_rounds, tmp_path):
    source = four_rounds.campaign.source.read_text(encoding="utf-8")
    edited = source.replace('issuer = "PHÒNG VĂN HÓA VÀ THÔNG TIN"', 'issuer = "PHÒNG VĂN HÓA, KHOA HỌC VÀ THÔNG TIN"')
    edited = edited.replace('title = "BÁO CÁO"', 'title = "BÁO CÁO NHANH"')
    (four_rounds.workspace.root / "campaign.toml").write_text(edited, encoding="utf-8")
    try:
        office = Office.open(four_rounds.workspace.root)
        again = office.summary(office.campaign.round(3), tmp_path / "pack", force=False)
    finally:
        (four_rounds.workspace.root / "campaign.toml").unlink()
    paragraphs, tables = _docx_text(again.report)
    assert "PHÒNG VĂN HÓA, KHOA HỌC VÀ THÔNG TIN" in tables[0][0][0] and "BÁO CÁO NHANH" in paragraphs


def test_a_blank_with_a_typo_in_campaign_toml_is_a_config_error_with_its_line(tmp_path):
    from ihanoi_report.config import load_campaign, shipped_dir
    from ihanoi_report.errors import ConfigError

    text = (shipped_dir("templates") / "campaign.toml").read_text(encoding="utf-8")
    path = tmp_path / "campaign.toml"
    path.write_text(text.replace("đạt {share}{change}. Kết quả", "đạt {tyle}{change}. Kết quả"), encoding="utf-8")
    with pytest.raises(ConfigError) as failure:
        load_campaign(path)
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if row.startswith("staff = "))
    assert f"dòng {line}" in failure.value.message and "tyle" in failure.value.message


def test_the_zalo_message_is_short_and_names_the_units_to_remind(pack):
    lines = pack.message_text.splitlines()
    assert 5 <= len(lines) <= 10
    assert lines[0] == "iHanoi lần 3 (Huyện Ba Vì, số liệu đến 20/8/2024):"
    assert "Xã Tòng Bạt" in lines[-1]
    assert pack.message.read_text(encoding="utf-8") == pack.message_text + "\n"


def test_the_pictures_are_a_phones_width_and_draw_every_vietnamese_letter(pack):
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font
    from PIL import Image

    assert [p.name for p in pack.pictures] == ["tien-do-den-lan-3.png", "xa-thi-tran-lan-3.png",
                                                "don-vi-chua-du-CBCCVC-lan-3.png"]
    for picture in pack.pictures:
        with Image.open(picture) as image:
            assert image.width == 1080 and 500 <= image.height <= 4000
    font = FT2Font(font_manager.findfont("DejaVu Sans", fallback_to_default=False))
    drawn = set(font.get_charmap())
    assert all(ord(letter) in drawn for letter in "ỹặĐđẫỡựằ")


def test_two_close_shares_of_a_round_label_one_above_and_one_below():
    """Round 4 of the samples: staff 100,0 %, residents 97,5 %: the labels printed over each other."""
    from ihanoi_report.round_report.charts import label_sides

    assert label_sides([1.0, 0.975]) == [1, -1]
    assert label_sides([0.975, 1.0]) == [-1, 1]
    assert label_sides([0.699, 0.256]) == [1, 1]  # far apart: both above
    assert label_sides([0.5, None]) == [1, 1]


def test_long_names_wrap_inside_the_picture(four_rounds, tmp_path):
    from ihanoi_report.round_report import charts

    facts = round_facts(four_rounds.round_view(four_rounds.campaign.round(3)), four_rounds.campaign)
    long = "Trường Trung học cơ sở và Trung học phổ thông Dân tộc nội trú huyện Ba Vì thành phố Hà Nội"
    below = tuple(UnitLine(f"T-{i}", f"{long} {i}", Part(40 + i, 50)) for i in range(45))
    section = replace(facts.target("staff"), below=below)
    path = charts.target_picture(facts, section, four_rounds.campaign, tmp_path / "c.png", force=False)
    from PIL import Image

    with Image.open(path) as image:
        assert image.width == 1080
        pixels = image.convert("L").load()
        assert all(pixels[0, y] > 200 for y in range(image.height))  # nothing drawn against the left edge


def test_a_round_without_reports_gives_frames_and_says_so(run_cli, workspace, tmp_path):
    from ihanoi_report.config import shipped_dir

    run_cli("ingest", str(shipped_dir("samples") / "round-1"), "--round", "1")
    code, _out, err = run_cli("summary", "--round", "2", "--out", str(tmp_path / "pack"))
    assert code == ExitCode.INPUT_ERRORS and "Traceback" not in err
    assert "chưa có báo cáo nào" in err.replace("\n", " ")
    assert (tmp_path / "pack" / "Bao-cao-iHanoi-lan-2.docx").is_file()
    assert not (tmp_path / "pack" / "xa-thi-tran-lan-2.png").exists()


def test_an_existing_pack_is_never_replaced_without_force(pack, four_rounds):
    from ihanoi_report.errors import OutputError

    before = pack.report.read_bytes()
    with pytest.raises(OutputError):
        four_rounds.summary(four_rounds.campaign.round(3), pack.folder, force=False)
    assert pack.report.read_bytes() == before


@pytest.mark.soffice
@pytest.mark.writer
def test_the_report_opens_in_libreoffice_and_the_pdfs_are_made(four_rounds, tmp_path):
    done = four_rounds.summary(four_rounds.campaign.round(3), tmp_path, force=False, pdf=True)
    assert [p.name for p in done.pdfs] == ["Bao-cao-iHanoi-lan-3.pdf", "Tong-hop-iHanoi-lan-3.pdf"]
    text = subprocess.run(["pdftotext", "-layout", str(done.pdfs[0]), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "BÁO CÁO" in text and "Kết quả cài đặt, sử dụng ứng dụng iHanoi (lần 3)" in text
    pages = text.split("\f")
    assert len(pages) >= 2 and not pages[0].strip().startswith("1")  # Nghị định 30: no number on page 1,
    for number, page in enumerate(pages[1:], start=2):  # then each page's number, first, at its top
        if page.strip():
            assert page.strip().splitlines()[0].strip() == str(number), page[:200]
    (total,) = [r for r in _workbook_rows(done.workbook) if r[1] == "TỔNG CỘNG TOÀN HUYỆN"]
    assert re.search(rf"Toàn huyện có {re.escape(_n(total[3]))}/{re.escape(_n(total[2]))} cán bộ", text)


def test_without_libreoffice_the_pdf_option_says_how_to_get_them(run_cli, workspace, tmp_path, monkeypatch):
    from ihanoi_report.round_report import pdf

    monkeypatch.setattr(pdf, "libreoffice", lambda: None)
    demo(workspace.root)
    code, _out, err = run_cli("summary", "--round", "3", "--pdf", "--out", str(tmp_path / "pack"))
    assert code == ExitCode.OK and "LibreOffice" in err and not list((tmp_path / "pack").glob("*.pdf"))


def test_a_first_run_of_matplotlib_prints_nothing_about_its_font_cache(four_rounds, tmp_path):
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "empty-config"), "IHANOI_WIDTH": "200"}
    done = subprocess.run([sys.executable, "-m", "ihanoi_report", "summary", "--round", "3", "--workspace",
                           str(four_rounds.workspace.root), "--out", str(tmp_path / "pack")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "font" not in done.stderr.lower() and "matplotlib" not in done.stderr.lower()


@pytest.mark.parametrize(("rounds", "asked"), [(2, 2), (6, 4)])
def test_a_campaign_of_two_or_six_rounds(run_cli, workspace, tmp_path, rounds, asked):
    from ihanoi_report.config import shipped_dir

    text = (shipped_dir("templates") / "campaign.toml").read_text(encoding="utf-8")
    head, _, tail = text.partition("[[rounds]]")
    tail = tail[tail.index("# Chỉ tiêu"):]
    dues = ["2024-07-19", "2024-07-26", "2024-08-20", "2024-09-10", "2024-10-10", "2024-11-10"][:rounds]
    listed = "".join(f"[[rounds]]\nnumber = {i}\ndue = {due}\n\n" for i, due in enumerate(dues, start=1))
    (workspace.root / "campaign.toml").write_text(head + listed + tail, encoding="utf-8")
    for number in range(1, min(rounds, 4) + 1):
        run_cli("ingest", str(shipped_dir("samples") / f"round-{number}"), "--round", str(number))
    code, _out, err = run_cli("summary", "--round", str(asked), "--out", str(tmp_path / "pack"))
    assert code == ExitCode.OK, err
    from PIL import Image

    with Image.open(tmp_path / "pack" / f"tien-do-den-lan-{asked}.png") as image:
        assert image.width == 1080


def test_a_level_without_residents_leaves_their_lines_out(four_rounds, tmp_path):
    from ihanoi_report.office import write_sub_workspace

    sub = write_sub_workspace(four_rounds, "PB-GDDT", tmp_path / "gddt")[0].parent
    office = Office.open(sub)
    office.ingest(Path(__file__).resolve().parents[1] / "samples" / "phong-gddt" / "round-3", 3)
    pack = office.summary(office.campaign.round(3), tmp_path / "pack", force=False)
    assert "Người dân" not in pack.message_text and "Cao nhất" not in pack.message_text
    assert pack.message_text.splitlines()[0].startswith("iHanoi lần 3 (Phòng Giáo dục và Đào tạo")
    paragraphs, _ = _docx_text(pack.report)
    assert "Các đơn vị trực thuộc không quản lý dân cư nên không có số liệu người dân." in paragraphs
    assert not any(p.startswith("Toàn huyện có -/-") for p in paragraphs)


def test_a_long_list_of_units_to_remind_is_cut_in_the_zalo_message(four_rounds):
    facts = round_facts(four_rounds.round_view(four_rounds.campaign.round(3)), four_rounds.campaign)
    many = replace(facts, awaited=tuple(f"Đơn vị {i}" for i in range(25)))
    from ihanoi_report.summary import zalo_message

    text = zalo_message(many, four_rounds.campaign)
    assert "Đơn vị 8, Đơn vị 9 và 17 đơn vị khác." in text and "Đơn vị 10" not in text  # no comma before "và"


def test_counts_of_units_from_a_thousand_on_have_the_thousands_mark_as_the_figures_do(four_rounds, tmp_path):
    """A city department collecting 2,900 schools: "2.900/2.936 đơn vị", as "442.015" staff; never a year."""
    from ihanoi_report.round_report.document import write_report
    from ihanoi_report.summary import paragraphs, zalo_message

    campaign = four_rounds.campaign
    facts = round_facts(four_rounds.round_view(campaign.round(3)), campaign)
    big = replace(facts, reported=2900, expected=2936, on_time=1850, late=1050,
                  groups=(replace(facts.groups[0], reported=2900, expected=2936), *facts.groups[1:]))
    text = "\n".join(text for _, text in paragraphs(big, campaign))
    assert "Có 2.900/2.936 cơ quan, đơn vị trực thuộc huyện đã gửi báo cáo (1.850 đúng hạn, 1.050 gửi muộn)." in text
    assert "2.900/2.936" in zalo_message(big, campaign) and "1.050" in zalo_message(big, campaign)
    from docx import Document

    path = write_report(tmp_path / "big.docx", big, campaign, force=False)
    _, tables = _docx_text(path)
    groups = next(t for t in tables if t[0][0] == "Nhóm đơn vị")
    assert groups[1][1] == "2.900/2.936"
    # too wide for its column at 12 points, a fraction breaks after its slash, never inside a number
    cells = [cell.text for table in Document(str(path)).tables for row in table.rows for cell in row.cells]
    assert "2.900/\u200b2.936" in cells
    assert all("/\u200b" in text for text in cells if re.fullmatch(r"[\d.]+/\S+", text))
    assert "năm 2024" in tables[0][0][1]  # the year is no count


def test_the_proposal_asks_each_unit_for_what_it_has_not_done(four_rounds):
    """Units still to report are asked to report, units under a target to reach it; both, when both are named."""
    from ihanoi_report.summary import paragraphs, zalo_message

    campaign = four_rounds.campaign
    facts = round_facts(four_rounds.round_view(campaign.round(3)), campaign)
    assert facts.awaited and facts.below_targets  # the samples' round 3 has both
    reported = replace(facts, awaited=())
    on_target = replace(facts, targets=tuple(replace(section, below=()) for section in facts.targets))
    for case, asked in ((facts, "gửi báo cáo, hoàn thành chỉ tiêu: "), (reported, "hoàn thành chỉ tiêu: "),
                        (on_target, "gửi báo cáo: ")):
        text = "\n".join(text for _, text in paragraphs(case, campaign))
        (proposal,) = [line for line in text.splitlines() if line.startswith("Đề nghị UBND huyện chỉ đạo")]
        assert f"khẩn trương {asked}" in proposal
        assert all(name in proposal for name in case.to_remind)
        assert f"Đề nghị các đơn vị khẩn trương {asked}" in zalo_message(case, campaign)
    assert set(reported.to_remind) == set(facts.below_targets) and set(on_target.to_remind) == set(facts.awaited)


def _policy(part: int, whole: int) -> str:
    """The number policy, computed here from the counts: half-up to a tenth, never 100,0 % below 100 %."""
    from decimal import ROUND_HALF_UP, Decimal

    shown = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if part < whole and shown == 100:
        shown = Decimal("99.9")
    return f"{shown}%".replace(".", ",")


def _int(text: str) -> int:
    return int(text.replace(".", ""))


def test_every_share_in_the_report_the_message_and_the_workbook_follows_one_policy(pack):
    paragraphs, tables = _docx_text(pack.report)
    checked = 0
    for table in tables:  # a cell "a/b" followed by its share
        for line in table:
            for fraction_cell, share_cell in itertools.pairwise(line):
                if re.fullmatch(r"[\d.]+/[\d.]+", fraction_cell) and re.fullmatch(r"\d+,\d%", share_cell):
                    part, whole = (_int(x) for x in fraction_cell.split("/"))
                    assert share_cell == _policy(part, whole), (line, share_cell)
                    checked += 1
    texts = "\n".join([*paragraphs, pack.message_text])
    for share, part, whole in re.findall(r"(\d+,\d%) \(([\d.]+)/([\d.]+)\)", texts):  # "71,6% (1.234/1.724)"
        assert share == _policy(_int(part), _int(whole)), (share, part, whole)
        checked += 1
    for row in _workbook_rows(pack.workbook):  # the cells hold the shown value, so Excel shows the same
        if isinstance(row[2], float) and isinstance(row[3], float) and row[2] and isinstance(row[4], float):
            assert f"{row[4] * 100:.1f}%".replace(".", ",") == _policy(int(row[3]), int(row[2])), row
            checked += 1
    assert checked > 60


def test_as_above_in_the_recipients_needs_an_addressee(tmp_path):
    from ihanoi_report.config import load_campaign, shipped_dir
    from ihanoi_report.errors import ConfigError

    text = (shipped_dir("templates") / "campaign.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    line = next(i for i, line in enumerate(lines, start=1) if line.startswith("recipients ="))
    (tmp_path / "campaign.toml").write_text("\n".join(x for x in lines if not x.startswith("addressee")),
                                            encoding="utf-8")
    campaign = load_campaign(tmp_path / "campaign.toml")  # an older workspace's file: every other command runs
    assert campaign.summary is not None and isinstance(campaign.summary.problem, ConfigError)
    message = campaign.summary.problem.message
    assert "Kính gửi" in message and f"dòng {line - 1}:" in message  # one line less


def test_an_older_campaign_without_an_addressee_still_ingests_and_only_summary_asks_for_it(run_cli, workspace,
                                                                                          tmp_path):
    from ihanoi_report.config import shipped_dir

    text = (shipped_dir("templates") / "campaign.toml").read_text(encoding="utf-8")
    (workspace.root / "campaign.toml").write_text(
        "\n".join(x for x in text.splitlines() if not x.startswith("addressee")), encoding="utf-8")
    code, _out, err = run_cli("ingest", str(shipped_dir("samples") / "round-2"), "--round", "2")
    assert code in (ExitCode.OK, ExitCode.INPUT_ERRORS) and "Kính gửi" not in err
    code, _out, err = run_cli("summary", "--round", "2", "--out", str(tmp_path / "pack"))
    assert code == ExitCode.FAILED and "Kính gửi" in " ".join(err.split()) and not (tmp_path / "pack").exists()


def test_the_counts_of_the_report_say_what_they_count_and_agree(pack, oracle):
    paragraphs, tables = _docx_text(pack.report)
    text = "\n".join(paragraphs)
    direct = re.search(r"Có (\d+)/(\d+) cơ quan, đơn vị trực thuộc huyện đã gửi báo cáo", text)
    through = re.search(r"Phòng Giáo dục và Đào tạo tổng hợp báo cáo của (\d+)/(\d+) đơn vị trực thuộc", text)
    assert direct and through, text[:600]
    groups = next(t for t in tables if t[0][0] == "Nhóm đơn vị")
    total_reported, total_expected = (int(x) for x in groups[-1][1].split("/"))
    assert int(direct[1]) + int(through[1]) == total_reported and int(direct[2]) + int(through[2]) == total_expected
    sent_back = re.search(r"có (\d+) tệp báo cáo bị trả lại", text)
    assert sent_back and int(sent_back[1]) == oracle.verdicts(3)["rejected"]  # what ingest of round 3 said


def _with_cutoff(text: str) -> str:
    return text.replace("number = 3\ndue = 2024-08-20", "number = 3\ndue = 2024-08-20\ncutoff = 2024-08-15", 1)


def test_a_rounds_data_cutoff_is_the_day_every_document_counts_to(run_cli, workspace, tmp_path):
    from ihanoi_report.config import shipped_dir

    demo(workspace.root)
    shipped = (shipped_dir("templates") / "campaign.toml").read_text(encoding="utf-8")
    assert _with_cutoff(shipped) != shipped
    (workspace.root / "campaign.toml").write_text(_with_cutoff(shipped), encoding="utf-8")
    code, _out, err = run_cli("summary", "--round", "3", "--out", str(tmp_path / "pack"))
    assert code == ExitCode.OK, err
    import docx

    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "pack" / "Bao-cao-iHanoi-lan-3.docx")).paragraphs)
    assert "(số liệu tính đến ngày 15/8/2024)" in text
    assert "số liệu đến 15/8/2024" in (tmp_path / "pack" / "tin-nhan-Zalo-lan-3.txt").read_text(encoding="utf-8")
    rows = _workbook_rows(tmp_path / "pack" / "Tong-hop-iHanoi-lan-3.xlsx")
    assert any("(Số liệu tính đến ngày 15/8/2024)" in str(c) for row in rows[:6] for c in row)
    code, _out, err = run_cli("template", "--round", "3", "--unit", "XA-09694", "--out", str(tmp_path / "forms"))
    assert code == ExitCode.OK, err
    book = CalamineWorkbook.from_path(str(next((tmp_path / "forms").glob("*.xlsx"))))
    form_rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    assert any("Số liệu tính đến ngày 15/8/2024. Hạn gửi báo cáo: chậm nhất ngày 20/8/2024" in str(c)
               for row in form_rows for c in row)
    code, _out, err = run_cli("init", "--for", "PB-GDDT", str(tmp_path / "gddt"))  # the cut-off passes down
    assert code == ExitCode.OK, err
    from ihanoi_report.config import load_campaign

    sub = load_campaign(tmp_path / "gddt" / "campaign.toml").round(3)
    assert (sub.due.isoformat(), sub.as_of.isoformat()) == ("2024-08-18", "2024-08-15")


def test_a_cutoff_after_the_due_date_is_a_config_error_on_its_line(tmp_path):
    from ihanoi_report.config import load_campaign, shipped_dir
    from ihanoi_report.errors import ConfigError

    text = _with_cutoff((shipped_dir("templates") / "campaign.toml").read_text(encoding="utf-8"))
    text = text.replace("cutoff = 2024-08-15", "cutoff = 2024-08-25")
    (tmp_path / "campaign.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as failure:
        load_campaign(tmp_path / "campaign.toml")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if row.startswith("cutoff ="))
    assert f"dòng {line}" in failure.value.message and "sau hạn gửi" in failure.value.message


def test_the_pictures_are_drawn_again_only_when_what_they_show_has_changed(four_rounds, tmp_path):
    """The web page's overview asks for them at every visit; drawing takes half a second."""
    rnd = four_rounds.campaign.round(3)
    view = four_rounds.round_view(rnd)
    first = four_rounds.pictures(rnd, tmp_path, known=view)
    drawn = [path.stat().st_mtime_ns for path in first]
    assert four_rounds.pictures(rnd, tmp_path, known=view) == first
    assert [path.stat().st_mtime_ns for path in first] == drawn  # the same figures: not drawn again
    key = next(k for k, v in view.trend.items() if v is not None)
    other = replace(view, trend={**view.trend, key: view.trend[key] / 2})  # another share over the rounds
    assert four_rounds.pictures(rnd, tmp_path, known=other) == first
    again = [path.stat().st_mtime_ns for path in first]
    assert all(now > before for now, before in zip(again, drawn, strict=True))
    first[1].unlink()  # a picture gone from the folder is drawn again
    assert four_rounds.pictures(rnd, tmp_path, known=other) == first and first[1].is_file()


def test_the_summary_shows_its_parts_on_a_bar(four_rounds, tmp_path):
    """Seconds for a city's thousands of units: the bar counts the figures, the report, the workbook, the pictures
    and the message, and is full when the pack is written."""
    import contextlib

    seen: list[tuple[int, int]] = []

    @contextlib.contextmanager
    def progress(total: int):
        done = [0]

        def advance() -> None:
            done[0] += 1
            seen.append((done[0], total))

        yield advance

    pack = four_rounds.summary(four_rounds.campaign.round(3), tmp_path / "pack", force=False, progress=progress)
    assert seen == [(n, 5) for n in range(1, 6)] and pack.report.is_file()


def test_pictures_stopped_half_way_are_drawn_again(four_rounds, tmp_path, monkeypatch):
    """A drawing that fails (or is stopped) half-way leaves no digest behind, which would vouch for pictures
    of other figures the next time the first figures come back."""
    from ihanoi_report.office import PICTURES_STAMP, Office

    rnd = four_rounds.campaign.round(3)
    view = four_rounds.round_view(rnd)
    first = four_rounds.pictures(rnd, tmp_path, known=view)
    drawn = [path.stat().st_mtime_ns for path in first]
    key = next(k for k, v in view.trend.items() if v is not None)
    other = replace(view, trend={**view.trend, key: view.trend[key] / 2})

    def stopped(*_: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(Office, "_draw_pictures", stopped)
        with pytest.raises(KeyboardInterrupt):
            four_rounds.pictures(rnd, tmp_path, known=other)
    assert not (tmp_path / PICTURES_STAMP).exists()
    assert four_rounds.pictures(rnd, tmp_path, known=view) == first
    assert all(now > before for now, before in zip((p.stat().st_mtime_ns for p in first), drawn, strict=True))


def test_the_highest_and_the_lowest_never_name_one_unit_twice():
    """Two units reported: "cao nhất: A; thấp nhất: B", not both lists naming both; one unit alone is neither;
    nor is a share that reads the same on both sides (71,6 % "highest" and 71,6 % "lowest")."""
    from ihanoi_report.summary import Part, UnitLine, ends

    def ranked(*shares: int) -> list[UnitLine]:  # shares in tenths of a percent, highest first
        return [UnitLine(chr(65 + i), chr(65 + i), Part(share, 1000)) for i, share in enumerate(shares)]

    def names(lines: tuple[list[UnitLine], list[UnitLine]]) -> tuple[str, str]:
        return "".join(u.code for u in lines[0]), "".join(u.code for u in lines[1])

    assert names(ends(ranked(900, 800, 700, 600, 500, 400, 300), 3)) == ("ABC", "GFE")
    assert names(ends(ranked(900, 800, 700, 600, 500), 3)) == ("AB", "ED")
    assert names(ends(ranked(900, 800), 3)) == ("A", "B")
    assert names(ends(ranked(900), 3)) == ("", "")
    assert names(ends(ranked(900, 800, 800, 700), 3)) == ("A", "D")  # B and C tie across the middle
    assert names(ends(ranked(900, 800, 800, 800), 3)) == ("", "")  # no lowest apart from the highest's peers
    assert names(ends(ranked(716, 716, 716, 716), 3)) == ("", "")  # every unit alike: neither side
    # what the reader sees decides: 71,6 % and 71,6 % are alike even if the counts behind them differ
    close = [UnitLine("A", "A", Part(7161, 10000)), UnitLine("B", "B", Part(7159, 10000))]
    assert names(ends(close, 3)) == ("", "")


@pytest.mark.parametrize("copy", ["shipped", "older", "own words"])
def test_two_communes_reported_name_one_highest_and_one_lowest_in_the_singular(run_cli, workspace, tmp_path, copy):
    """"Xã, thị trấn có tỷ lệ cao nhất: Xã A." when each list names one unit, not "Các xã, thị trấn …"; a copy of
    campaign.toml from before these sentences gets them from the shipped one, unless the office rewrote the plural
    ones: its own words are never joined to the shipped ones."""
    import shutil

    from ihanoi_report.config import shipped_dir

    if copy != "shipped":
        text = (shipped_dir("templates") / "campaign.toml").read_text(encoding="utf-8")
        rows = [r for r in text.splitlines() if not r.startswith(("residents_best_one", "residents_worst_one"))]
        if copy == "own words":
            rows = [r.replace("Các xã, thị trấn có tỷ lệ", "Những địa phương có tỷ lệ") for r in rows]
        (workspace.root / "campaign.toml").write_text("\n".join(rows) + "\n", encoding="utf-8")
        shutil.copy(shipped_dir("templates") / "units.csv", workspace.root / "units.csv")
    inbox = tmp_path / "in"
    inbox.mkdir()
    for name in ("iHanoi-lan-3_XA-09619_thi-tran-tay-dang.xlsx", "iHanoi-lan-3_XA-09628_xa-co-do.xlsx"):
        shutil.copy(shipped_dir("samples") / "round-3" / name, inbox / name)
    assert run_cli("ingest", str(inbox), "--round", "3")[0] == ExitCode.OK
    run_cli("summary", "--round", "3", "--out", str(tmp_path / "pack"))
    paragraphs, _ = _docx_text(tmp_path / "pack" / "Bao-cao-iHanoi-lan-3.docx")
    best = [p for p in paragraphs if "có tỷ lệ cao nhất" in p or "có tỷ lệ thấp nhất" in p]
    said = "Những địa phương có tỷ lệ " if copy == "own words" else "Xã, thị trấn có tỷ lệ "
    assert len(best) == 2 and all(p.startswith(said) for p in best), best
    assert [p.split(": ")[1].split(" (")[0] for p in best] == ["Thị trấn Tây Đằng", "Xã Cổ Đô"]


def test_a_sentence_of_the_highest_units_without_one_of_the_lowest_is_a_config_error_on_its_line(tmp_path):
    """In an office's own campaign (no shipped copy to complete it): the two sentences go together."""
    from ihanoi_report.config import load_campaign, shipped_dir
    from ihanoi_report.errors import ConfigError

    shipped = shipped_dir("templates") / "campaigns" / "binh-dan-hoc-vu-so" / "campaign.toml"
    text = shipped.read_text(encoding="utf-8").replace('id = "quang-oai-bdhvs-2025"', 'id = "xa-cua-toi-2026"')
    rows = [r for r in text.splitlines() if not r.startswith("digital_worst_one =")]
    line = next(i for i, row in enumerate(rows, 1) if row.startswith("digital_best_one ="))
    path = tmp_path / "campaign.toml"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_campaign(path)
    assert f"dòng {line}" in str(caught.value) and "digital_worst_one" in str(caught.value)
    path.write_text("\n".join(r for r in rows if not r.startswith("digital_best_one =")) + "\n", encoding="utf-8")
    assert not load_campaign(path).summary.has("digital_best_one")  # neither: the plural sentences say it all
