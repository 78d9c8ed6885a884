"""The emulation ranking: computed by hand on a small registry, every criterion, ties, a unit that never
reported; a weight changed in campaign.toml changes it as the hand computation says; bad criteria are config
errors with their line."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from ihanoi_report.config import Campaign, load_campaign, shipped_dir
from ihanoi_report.errors import ConfigError, ExitCode
from ihanoi_report.model import Standing
from ihanoi_report.ranking import UnitHistory, rank_units

ON, LATE, MISSING, REJECTED = Standing.ON_TIME, Standing.LATE, Standing.MISSING, Standing.REJECTED
TOML = (shipped_dir("templates") / "campaign.toml").read_text(encoding="utf-8")


def _staff(done: int, total: int = 30) -> dict[str, int]:
    return {"staff_total": total, "staff_installed": done}


def _both(staff: int, installed: int, phones: int = 1000) -> dict[str, int]:
    return {**_staff(staff), "residents": 2000, "smartphones": phones, "residents_installed": installed}


def _unit(code: str, group: str, standing: tuple[Standing, ...], counts: dict[int, dict[str, int]],
          sent_back: int = 0, early: int = 0) -> UnitHistory:
    return UnitHistory(code, f"Đơn vị {code}", group, dict(enumerate(standing, start=1)), counts, sent_back, early)


# The shipped criteria: on time 5 (late 2) a round; staff target 30 (judged in round 2, the first due after
# 25/7); resident target 30 (round 4, after 31/8; communes only); resident level 20 x share (communes);
# progress 10 x rise of the resident share (communes); quality 5 - 2 a file sent back.
UNITS = [
    # F: everything on time, both targets met: 20 + 30 + 30 + 20x1.0 + 10x(1.0-0.5) + 5 = 110.
    _unit("F", "xa", (ON, ON, ON, ON), {1: _both(20, 500), 2: _both(30, 700), 3: _both(30, 900),
                                        4: _both(30, 1000)}, early=3),
    # A: resident target missed (900/1000): 20 + 30 + 0 + 18 + 4 + 5 = 77.
    _unit("A", "xa", (ON, ON, ON, ON), {1: _both(20, 500), 2: _both(30, 600), 4: _both(30, 900)}, early=10),
    # C: 20 + 30 + 0 + 19 + 3 + 5 = 77 too; every tie_break criterion equal; its reports came earlier: above A.
    _unit("C", "xa", (ON, ON, ON, ON), {1: _both(20, 650), 2: _both(30, 700), 4: _both(30, 950)}, early=12),
    # D: A again: the same rank as A.
    _unit("D", "xa", (ON, ON, ON, ON), {1: _both(20, 500), 2: _both(30, 600), 4: _both(30, 900)}, early=10),
    # B: late in round 3, staff 29/30 in round 2, one file sent back: 17 + 0 + 30 + 20 + 4 + 3 = 74.
    _unit("B", "xa", (ON, ON, LATE, ON), {1: _both(20, 600), 2: _both(29, 700), 3: _both(30, 800),
                                          4: _both(30, 1000)}, sent_back=1),
    # G: rounds 1 and 2 missing (2 >= criticize_missing), a file sent back: 10 + 0 + 0 + 18 + 10x(0.9-0.8) + 3 = 32.
    _unit("G", "xa", (MISSING, REJECTED, ON, ON), {3: _both(30, 800), 4: _both(30, 900)}, sent_back=1),
    # E: never reported: last, whatever its points (quality 5).
    _unit("E", "xa", (MISSING, MISSING, MISSING, MISSING), {}),
    # H: an agency: no resident criterion applies: 20 + 30 + 5 = 55.
    _unit("H", "phong-ban", (ON, ON, ON, ON), {n: _staff(30) for n in (1, 2, 3, 4)}),
]


def _expected(campaign: Campaign) -> dict[str, tuple[int, float, str]]:
    target_staff, target_residents = (campaign.targets[k].label for k in ("staff", "residents"))
    return {
        "F": (1, 110.0, "Đề nghị khen thưởng"),
        "C": (2, 77.0, f"Nhắc nhở: chưa đạt chỉ tiêu {target_residents}"),
        "A": (3, 77.0, f"Nhắc nhở: chưa đạt chỉ tiêu {target_residents}"),
        "D": (3, 77.0, f"Nhắc nhở: chưa đạt chỉ tiêu {target_residents}"),
        "B": (5, 74.0, f"Nhắc nhở: báo cáo muộn lần 3; chưa đạt chỉ tiêu {target_staff}"),
        "G": (6, 32.0, f"Phê bình: thiếu báo cáo lần 1, 2; chưa đạt chỉ tiêu {target_staff}; chưa đạt chỉ tiêu "
                       f"{target_residents}"),
        "E": (7, 5.0, "Phê bình: Chưa gửi báo cáo nào"),
        "H": (1, 55.0, "Đề nghị khen thưởng"),
    }


def _ranked(campaign: Campaign) -> dict[str, tuple[int, float, str]]:
    ranking = rank_units(UNITS, campaign, campaign.round(4), ["phong-ban", "xa"])
    return {u.unit.code: (u.rank, u.total, u.proposal) for _, units in ranking.groups for u in units}


def test_a_ranking_computed_by_hand(campaign):
    assert _ranked(campaign) == _expected(campaign)
    ranking = rank_units(UNITS, campaign, campaign.round(4), ["phong-ban", "xa"])
    communes = dict(ranking.groups)["xa"]
    assert [u.unit.code for u in communes] == ["F", "C", "A", "D", "B", "G", "E"]
    assert communes[0].points == (20.0, 30.0, 30.0, 20.0, 5.0, 5.0, 0.0, 0.0)  # each criterion's points, kept
    assert communes[-2].points == (10.0, 0.0, 0.0, 18.0, 1.0, 3.0, 0.0, 0.0)  # no app export: not judged


def test_a_weight_changed_in_campaign_toml_changes_the_ranking_as_by_hand(tmp_path):
    # Resident level worth 100 x share instead of 20 x share: F 190, B 154, C 153, A and D 149, G 104, E 5.
    text = TOML.replace('measure = "resident_share"\npoints = 20', 'measure = "resident_share"\npoints = 100')
    assert text != TOML
    (tmp_path / "campaign.toml").write_text(text, encoding="utf-8")
    heavier = load_campaign(tmp_path / "campaign.toml")
    ranked = _ranked(heavier)
    assert {code: (rank, total) for code, (rank, total, _) in ranked.items() if code != "H"} == {
        "F": (1, 190.0), "B": (2, 154.0), "C": (3, 153.0), "A": (4, 149.0), "D": (4, 149.0), "G": (6, 104.0),
        "E": (7, 5.0)}


def test_a_target_not_yet_due_gives_no_points_and_is_marked_not_judged(campaign):
    ranking = rank_units(UNITS, campaign, campaign.round(3), ["xa"])
    by_key = dict(zip((c.key for c in ranking.criteria), ranking.judged, strict=True))
    assert by_key["resident_target"] is False and by_key["staff_target"] is True
    histories = [UnitHistory(u.code, u.name, u.group, {n: s for n, s in u.standing.items() if n <= 3},
                             {n: c for n, c in u.counts.items() if n <= 3}, u.sent_back, u.days_early)
                 for u in UNITS]
    ranked = rank_units(histories, campaign, campaign.round(3), ["xa"])
    f = next(u for _, units in ranked.groups for u in units if u.unit.code == "F")
    assert f.points[2] == 0.0  # resident target: judged in round 4


@pytest.mark.parametrize(("old", "new", "key"), [
    ('target = "residents"', 'target = "thanh-nien"', "target"),
    ('points = 5\nlate_points = 2', 'points = 5\nlate_points = 2\nrounds = [1, 7]', "rounds"),
    ('points = 30\ngroups = ["xa"]', 'points = -30\ngroups = ["xa"]', "points"),
    ('key = "quality"\nlabel = "Chất lượng số liệu"\nkind = "quality"\npoints = 5',
     'key = "quality"\nlabel = "Chất lượng số liệu"\nkind = "quality"\npoints = "nhiều"', "points"),
    ('points = 20\ngroups = ["xa"]', 'points = 20\ngroups = ["xa", "thon"]', "groups"),
    ('kind = "progress"\nmeasure', 'kind = "tien-bo"\nmeasure', "kind"),
    ('input = "phan_anh"\npart = "on_time"', 'input = "pakn"\npart = "on_time"', "input"),
    ('part = "on_time"\nwhole = "received"', 'part = "dung_han"\nwhole = "received"', "part"),
    ('thresholds = [[1.0, 10], [0.5, 5]]', 'thresholds = [[0.5, 5], [1.0, 10]]', "thresholds"),
    ('per_days = 3', 'per_days = 0', "per_days"),
])
def test_bad_criteria_are_config_errors_with_file_and_line(tmp_path, old, new, key):
    assert old in TOML
    text = TOML.replace(old, new, 1)
    path = tmp_path / "campaign.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as failure:
        load_campaign(path)
    message = failure.value.message
    wrong = next(i for i, line in enumerate(text.splitlines(), start=1)
                 if line.startswith(f"{key} =") and line.strip() in new.splitlines())
    assert str(path) in message and f"dòng {wrong}" in message, message


def test_ranking_before_any_report_says_so(run_cli, workspace):
    code, _out, err = run_cli("rank")
    assert code == ExitCode.INPUT_ERRORS and "Traceback" not in err


def test_rank_writes_the_workbook_the_csv_and_the_json(run_cli, workspace, tmp_path):
    from ihanoi_report.office import demo

    demo(workspace.root)
    out = tmp_path / "xh.xlsx"
    code, stdout, err = run_cli("rank", "--out", str(out))
    assert code == ExitCode.OK, err
    assert "Xếp hạng thi đua đến lần 4" in stdout and len(stdout.splitlines()) < 45
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["Huyện Ba Vì", "Phòng, ban, ngành thuộc huyện", "Ủy ban MTTQ và các tổ chức",
                                "Đơn vị hiệp quản trên địa bàn", "Xã, thị trấn", "Tiêu chí", "Số liệu từ ứng dụng",
                                "_ihanoi"]  # + its mark
    rows = book.get_sheet_by_name("Xã, thị trấn").to_python()
    header = next(i for i, r in enumerate(rows) if r[0] == "Hạng")
    first = rows[header + 3]
    assert first[0] == 1 and isinstance(first[-3], float) and first[-1] == "Đề nghị khen thưởng"
    assert f"│ {first[-3]:.2f} │".replace(".", ",") in stdout  # the points as the workbook's 0.00 shows them
    criteria = book.get_sheet_by_name("Tiêu chí").to_python()
    assert any("5 điểm mỗi lần báo cáo đúng hạn" in str(r[2]) for r in criteria)
    code, stdout, _ = run_cli("rank", "--round", "3", "--format", "csv", "--out", str(tmp_path / "xh.csv"), "--json")
    data = json.loads(stdout)
    assert code == ExitCode.OK and data["as_of_round"] == 3
    judged = {c["key"]: c["judged"] for c in data["criteria"]}
    assert judged["resident_target"] is False
    csv_head = (tmp_path / "xh.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert csv_head == "group,rank,code,name,on_time,staff_target,resident_target,resident_level,progress,quality," \
                       "feedback,news,feedback_figures,news_figures,total,days_early,proposal"


def test_the_consolidated_workbook_of_the_last_round_carries_the_ranking(run_cli, workspace, tmp_path):
    from ihanoi_report.office import demo

    demo(workspace.root)
    for number, has in ((3, False), (4, True)):
        out = tmp_path / f"th{number}.xlsx"
        assert run_cli("consolidate", "--round", str(number), "--out", str(out))[0] == ExitCode.OK
        assert ("Xếp hạng thi đua" in CalamineWorkbook.from_path(str(out)).sheet_names) is has


def test_an_older_campaign_toml_without_the_new_sections_gets_the_shipped_ones(tmp_path):
    head = TOML[:TOML.index("# Báo cáo kết quả gửi lãnh đạo huyện")]
    tail = TOML[TOML.index("# Các nhóm đơn vị"):]
    path = tmp_path / "campaign.toml"
    path.write_text(head + tail, encoding="utf-8")
    campaign = load_campaign(path)
    assert campaign.ranking is not None and campaign.summary is not None
    assert Path(campaign.source) == path


# --- sheet names: the function the ranking workbook uses, by Excel's rules ------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ihanoi_report.xlsx.ranking import sheet_name  # noqa: E402


@given(st.lists(st.text(max_size=60), min_size=1, max_size=6))
def test_sheet_names_follow_excel_rules_and_are_unique_ignoring_case(labels):
    import io

    import xlsxwriter

    used: set[str] = set()
    names = [sheet_name(label, used) for label in labels]
    for name in names:
        assert 1 <= len(name) <= 31 and not set(name) & set("[]:*?/\\"), name
        assert not name.startswith("'") and not name.endswith("'"), name
    assert len({n.casefold() for n in names}) == len(names)
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    for name in names:  # XlsxWriter refuses what Excel refuses, duplicates ignoring case among them
        book.add_worksheet(name)
    book.close()


def test_sheet_names_are_cut_at_a_word_and_start_with_a_capital():
    used: set[str] = set()
    long = sheet_name("Ủy ban MTTQ và các tổ chức chính trị - xã hội huyện", used)
    assert long == "Ủy ban MTTQ và các tổ chức"
    assert sheet_name("Các xã, thị trấn", used) == "Xã, thị trấn"
    assert sheet_name("XÃ, THỊ TRẤN", used) == "XÃ, THỊ TRẤN 2"  # Excel takes the two for one name


def test_rank_json_prints_and_writes_no_file_unless_asked(run_cli, workspace, tmp_path):
    from ihanoi_report.office import demo

    demo(workspace.root)  # the demo leaves the default ranking workbook there already
    before = sorted(p.name for p in workspace.root.iterdir())
    code, stdout, err = run_cli("rank", "--json")
    assert code == ExitCode.OK, err
    assert json.loads(stdout)["as_of_round"] == 4 and sorted(p.name for p in workspace.root.iterdir()) == before


def test_the_criteria_sheet_names_the_tie_break_in_its_order(run_cli, workspace, tmp_path, campaign):
    from ihanoi_report.office import demo

    demo(workspace.root)
    code, _out, err = run_cli("rank", "--out", str(tmp_path / "xh.xlsx"))
    assert code == ExitCode.OK, err
    rows = CalamineWorkbook.from_path(str(tmp_path / "xh.xlsx")).get_sheet_by_name("Tiêu chí").to_python()
    (rule,) = [r[2] for r in rows if r[1] == "Khi bằng điểm"]
    labels = {c.key: c.label for c in campaign.ranking.criteria}
    order = [labels[k] for k in campaign.ranking.tie_break]
    assert [rule.index(label) for label in order] == sorted(rule.index(label) for label in order), rule


def test_the_ranking_is_signable_a_criterion_that_does_not_apply_is_blank_and_ties_are_explained(
        run_cli, workspace, tmp_path, campaign):
    from ihanoi_report.office import demo

    demo(workspace.root)
    assert run_cli("rank", "--out", str(tmp_path / "xh.xlsx"))[0] == ExitCode.OK
    rows = CalamineWorkbook.from_path(str(tmp_path / "xh.xlsx")).get_sheet_by_name(
        "Phòng, ban, ngành thuộc huyện").to_python()
    header = next(i for i, r in enumerate(rows) if r[0] == "Hạng")
    columns = [str(b or a) for a, b in zip(rows[header], rows[header + 1], strict=True)]
    where = {label: columns.index(label) for label in ("Tổng điểm", "Số ngày gửi trước hạn (cộng các lần)")}
    units = [r for r in rows[header + 3:] if isinstance(r[0], int | float) and str(r[1]).startswith("PB-")]
    labels = {c.key: c.label for c in campaign.ranking.criteria}
    for row in units:
        for key in ("resident_target", "resident_level", "progress"):  # communes only: blank, never 0.00
            assert row[columns.index(labels[key])] == "", (row[1], key)
        assert isinstance(row[columns.index(labels["on_time"])], float)
    # equal totals and equal tie-break criteria are ordered by the days-early column the sheet shows
    breaks = [where["Tổng điểm"], *(columns.index(labels[k]) for k in campaign.ranking.tie_break)]
    for above, below in itertools.pairwise(units):
        if [above[i] for i in breaks] == [below[i] for i in breaks] and above[0] < below[0]:
            assert above[where["Số ngày gửi trước hạn (cộng các lần)"]] >= below[where[
                "Số ngày gửi trước hạn (cộng các lần)"]]
    text = "\n".join(str(c) for r in rows for c in r if c != "")
    assert "Ô điểm để trống: tiêu chí không áp dụng" in text and "Cùng tổng điểm: so lần lượt điểm" in text
    assert "Các đơn vị do Phòng Giáo dục và Đào tạo tổng hợp (như các trường học)" in text
    assert "Ba Vì, ngày ….. tháng ….. năm 2024" in text and "TRƯỞNG PHÒNG" in text and "NGƯỜI LẬP BIỂU" in text
    data = json.loads(run_cli("rank", "--json")[1])
    department = next(u for u in data["units"] if u["code"] == "PB-NV")
    assert department["resident_target"] is None and isinstance(department["days_early"], int)




APP_EXPORTS = ("thong-ke-pakn.xlsx", "thong-ke-tin-bai.xlsx")  # the shipped [[ranking.inputs]] files


@pytest.fixture
def ranked_with_inputs(run_cli, workspace, tmp_path, libreoffice):
    """The demo ranked without the app's exports, then a feedback export written by LibreOffice put in the
    workspace and a news export as CSV for --input: a misspelled unit and a unit without a row among them."""
    import xlsxwriter

    from ihanoi_report.office import demo

    demo(workspace.root)
    for name in APP_EXPORTS:  # the demo's own sample exports: out, for figures computed by hand here
        (workspace.root / name).unlink()
    before = json.loads(run_cli("rank", "--json")[1])
    typed = tmp_path / "typed" / "thong-ke-pakn.xlsx"
    typed.parent.mkdir()
    book = xlsxwriter.Workbook(str(typed))
    sheet = book.add_worksheet("Thống kê")
    sheet.write_row(0, 0, ["THỐNG KÊ PHẢN ÁNH, KIẾN NGHỊ"])
    rows = [["STT", "Đơn vị", "Tổng số PAKN tiếp nhận", "Đã xử lý", "Đúng hạn", "Quá hạn"],
            [1, "Phòng Nội vụ", 20, 20, 18, 2], [2, "Xa Tan Linh", 30, 30, 30, 0],
            [3, "Phòng Văn hoá Thông tin", 5, 5, 5, 0], [4, "Tổng cộng", 55, 55, 53, 2]]
    for r, row in enumerate(rows, start=2):
        sheet.write_row(r, 0, row)
    book.close()
    libreoffice.resave_many([typed], workspace.root)
    (tmp_path / "tin.csv").write_text("Đơn vị;Số tin đã đăng\nPhòng Nội vụ;22\nXã Tản Lĩnh;10\n", encoding="utf-8-sig")
    return before


def test_the_apps_exports_score_as_computed_by_hand_and_say_what_they_could_not_use(
        ranked_with_inputs, run_cli, workspace, tmp_path):
    before = {u["code"]: u for u in ranked_with_inputs["units"]}
    news = ("--input", f"tin_bai={tmp_path / 'tin.csv'}")
    code, out, err = run_cli("rank", "--json", *news)
    assert code == ExitCode.OK, err
    after = {u["code"]: u for u in json.loads(out)["units"]}
    # Phòng Nội vụ: 18 of 20 on time -> 10 x 0.9 = 9; 22 items against 68 days / 3 = 22.67 -> 97 % -> 5 points
    assert (after["PB-NV"]["feedback"], after["PB-NV"]["news"]) == (9.0, 5.0)
    assert before["PB-NV"]["feedback"] is None  # not judged without the export: blank, not 0
    assert after["PB-NV"]["total"] == pytest.approx(before["PB-NV"]["total"] + 14.0)
    # Xã Tản Lĩnh, written without diacritics: 30 of 30 -> 10; 10 items -> 44 % -> 0 points
    assert (after["XA-09694"]["feedback"], after["XA-09694"]["news"]) == (10.0, 0.0)
    # Phòng Tư pháp has no row: "không có số liệu", scored as declared (0), never a hidden zero
    assert after["PB-TP"]["feedback"] == 0.0 and after["PB-TP"]["total"] == before["PB-TP"]["total"]
    said = " ".join(err.split())
    assert "thong-ke-pakn.xlsx: 1 dòng không dùng được (6: Phòng Văn hoá Thông tin — không khớp đơn vị nào)" in said
    assert after["PB-NV"]["feedback_figures"] == [18, 20] and after["PB-TP"]["feedback_figures"] is None
    assert run_cli("rank", "--out", str(tmp_path / "xh.xlsx"), *news)[0] == ExitCode.OK
    book = CalamineWorkbook.from_path(str(tmp_path / "xh.xlsx"))
    sheet = book.get_sheet_by_name("Phòng, ban, ngành thuộc huyện").to_python()
    by_code = {row[1]: row for row in sheet if str(row[1]).startswith("PB-")}
    assert "18/20" in by_code["PB-NV"] and "22/23" in by_code["PB-NV"] and "Không có số liệu" in by_code["PB-TP"]
    inputs = book.get_sheet_by_name("Số liệu từ ứng dụng").to_python()
    text = " ".join(str(c) for row in inputs for c in row)
    assert "thong-ke-pakn.xlsx" in text and "Phòng Văn hoá Thông tin" in text and "không khớp đơn vị nào" in text
    import hashlib

    digest = hashlib.sha256((workspace.root / "thong-ke-pakn.xlsx").read_bytes()).hexdigest()[:12]
    assert digest in text


def test_an_input_declared_but_not_given_is_not_judged_and_changes_no_rank(ranked_with_inputs, run_cli, workspace):
    (workspace.root / "thong-ke-pakn.xlsx").unlink()
    code, out, err = run_cli("rank", "--json")
    assert code == ExitCode.OK, err
    data = json.loads(out)
    assert {c["key"]: c["judged"] for c in data["criteria"]}["feedback"] is False
    assert [(u["code"], u["rank"], u["total"]) for u in data["units"]] == [
        (u["code"], u["rank"], u["total"]) for u in ranked_with_inputs["units"]]
    assert "Chưa có tệp thong-ke-pakn.xlsx" in " ".join(err.split())
    code, _out, err = run_cli("rank", "--json", "--input", "phan_anh=khong-co.xlsx")
    assert code == ExitCode.INPUT_ERRORS and "Không đọc được tệp số liệu phan_anh" in " ".join(err.split())
    code, _out, err = run_cli("rank", "--json", "--input", "pakn=x.xlsx")
    assert code == ExitCode.USAGE and "phan_anh, tin_bai" in err


def test_the_demo_ranks_the_shipped_app_exports_as_their_generator_planned(run_cli, workspace):
    from ihanoi_report.model import points_shown
    from ihanoi_report.office import demo

    demo(workspace.root)
    plan = json.loads((shipped_dir("samples") / "ung-dung" / "EXPECTED.json").read_text(encoding="utf-8"))
    code, out, err = run_cli("rank", "--json")
    assert code == ExitCode.OK, err
    data = json.loads(out)
    assert all(c["judged"] for c in data["criteria"] if c["kind"] in ("rate", "count"))
    units = {u["code"]: u for u in data["units"]}
    needed = 68 / 3  # 5/7 - 10/9/2024, one item every three days
    for code, figures in plan["units"].items():
        rate = figures["on_time"] / figures["received"] if figures["received"] else 1.0
        assert units[code]["feedback"] == points_shown(10 * rate), code
        ratio = figures["posted"] / needed
        assert units[code]["news"] == (10.0 if ratio >= 1 else 5.0 if ratio >= 0.5 else 0.0), code
    for code in [*plan["left_out"], *plan["misspelled"]]:  # no row of theirs: "không có số liệu", 0 as declared
        assert units[code]["feedback_figures"] is None and units[code]["feedback"] == 0.0, code
    feedback = next(i for i in data["inputs"] if i["key"] == "phan_anh")
    assert [u["text"] for u in feedback["unmatched"]] == list(plan["misspelled"].values())
    assert set(feedback["no_row"]) == {*plan["left_out"], *plan["misspelled"]}
    said = " ".join(err.split())
    assert "1 dòng không dùng được" in said and "Phòng Tài nguyên Môi trường — không khớp đơn vị nào" in said


def test_without_any_input_declared_the_ranking_is_the_installation_one(tmp_path):
    # The shipped campaign without its two app criteria and inputs: the ranking of the installation reports alone,
    # the same units, points and order as the shipped one with no export given.
    start = TOML.index("# Hai việc khác lệnh của huyện giao")
    end = TOML.index("# Các nhóm đơn vị")
    (tmp_path / "campaign.toml").write_text(TOML[:start] + TOML[end:], encoding="utf-8")
    bare = load_campaign(tmp_path / "campaign.toml")
    assert bare.ranking is not None and not bare.ranking.inputs
    shipped = load_campaign(shipped_dir("templates") / "campaign.toml")
    without = rank_units(UNITS, bare, bare.round(4), ["phong-ban", "xa"])
    not_given = rank_units(UNITS, shipped, shipped.round(4), ["phong-ban", "xa"])
    assert [(u.unit.code, u.rank, u.total, u.proposal, u.points) for _, us in without.groups for u in us] == [
        (u.unit.code, u.rank, u.total, u.proposal, u.points[:-2]) for _, us in not_given.groups for u in us]


@pytest.mark.parametrize("content", [b"PK\x03\x04 not a zip at all", b"\xd0\xcf\x11\xe0" + bytes(600), b""])
def test_an_app_export_that_cannot_be_read_is_said_in_one_sentence(run_cli, workspace, content):
    from ihanoi_report.office import demo

    demo(workspace.root)
    (workspace.root / "thong-ke-pakn.xlsx").write_bytes(content)
    code, _out, err = run_cli("rank", "--json")
    assert code == ExitCode.INPUT_ERRORS and "Traceback" not in err
    assert "thong-ke-pakn.xlsx không dùng được" in " ".join(err.split())
