"""One tool at every level: schools -> Education Office -> district -> city, files moving upward, each level's
consolidated workbook a return at the level above; the city's figures checked to the unit against the
schools' inputs, on workbooks LibreOffice opened and saved in between."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import openpyxl
import pytest

from ihanoi_report.config import load_campaign, shipped_dir
from ihanoi_report.errors import ExitCode, UsageError
from ihanoi_report.ingest import ingest_folder
from ihanoi_report.office import Office, write_config, write_sub_workspace

COMMUNES = {"XA-09694": 0, "XA-09658": 1, "XA-09631": 2}  # three communes' forms reach the district directly


def _school_figures(code: str, i: int) -> dict[str, int]:
    staff = 20 + i % 37
    return {"staff_total": staff, "staff_installed": staff - (1 if i % 9 == 0 else 0)}


def _commune_figures(i: int) -> dict[str, int]:
    return {"staff_total": 25 + i, "staff_installed": 25 + i, "residents": 9000 + 100 * i,
            "smartphones": 7000 + 50 * i, "residents_installed": 5000 + 10 * i}


@pytest.fixture(scope="module")
def chain(tmp_path_factory, filled_form, libreoffice):
    """The district, the Education Office's workspace made from it, and the city; round 3 sent upward."""
    root = tmp_path_factory.mktemp("chain")
    district = root / "huyen"
    write_config(district, force=False)
    office = Office.open(district)
    gddt_dir = write_sub_workspace(office, "PB-GDDT", root / "phong-gddt")[0].parent
    gddt = Office.open(gddt_dir)
    inputs: dict[str, dict[str, int]] = {}
    typed = root / "typed-gddt"
    for i, unit in enumerate(gddt.registry.reporting_units()):
        inputs[unit.code] = _school_figures(unit.code, i)
        filled_form(typed / f"{unit.code}.xlsx", unit.code, 3, {unit.code: inputs[unit.code]}, "15/8/2024")
    libreoffice.resave_many(sorted(typed.glob("*.xlsx")), root / "inbox-gddt")
    gddt.ingest(root / "inbox-gddt", 3)
    gddt.consolidate(gddt.campaign.round(3), gddt_dir / "out" / "GDDT-lan-3.xlsx", "xlsx", force=False)
    # The Education Office opens its consolidated workbook in LibreOffice and saves it before sending it up.
    sent = libreoffice.resave_many([gddt_dir / "out" / "GDDT-lan-3.xlsx"], root / "inbox-huyen")[0]
    commune_typed = root / "typed-xa"
    for code, i in COMMUNES.items():
        inputs[code] = _commune_figures(i)
        filled_form(commune_typed / f"{code}.xlsx", code, 3, {code: inputs[code]}, "19/8/2024")
    libreoffice.resave_many(sorted(commune_typed.glob("*.xlsx")), root / "inbox-huyen")
    district_run = office.ingest(root / "inbox-huyen", 3)
    office.consolidate(office.campaign.round(3), district / "out" / "BaVi-lan-3.xlsx", "xlsx", force=False)
    up = libreoffice.resave_many([district / "out" / "BaVi-lan-3.xlsx"], root / "inbox-thanh-pho")[0]
    city_dir = root / "thanh-pho"
    write_config(city_dir, force=False, example="city")
    city = Office.open(city_dir)
    city_run = city.ingest(root / "inbox-thanh-pho", 3)
    return {"root": root, "district": office, "gddt": gddt, "city": city, "inputs": inputs, "sent": sent,
            "up": up, "district_run": district_run, "city_run": city_run}


def test_the_sub_workspace_is_the_office_and_its_schools_due_two_days_earlier(chain):
    gddt, district = chain["gddt"], chain["district"]
    assert gddt.registry.reporting_units()[0].code == "PB-GDDT"
    assert len(gddt.registry.reporting_units()) == 1 + len(district.registry.children("PB-GDDT"))
    days = [(r.due - s.due).days for r, s in zip(district.campaign.rounds, gddt.campaign.rounds, strict=True)]
    assert days == [2] * 4
    assert gddt.campaign.receiving_office == "Phòng Giáo dục và Đào tạo"
    assert gddt.campaign.summary is not None and gddt.campaign.summary("issuer") == "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"
    assert (gddt.campaign.level.unit, gddt.campaign.level.parent_campaign) == ("PB-GDDT", district.campaign.id)
    assert gddt.campaign.ranking is not None
    assert {c.key for c in gddt.campaign.ranking.criteria} == {"on_time", "staff_target", "quality", "feedback", "news"}


def test_the_education_office_workbook_is_its_return_at_the_district(chain):
    run = chain["district_run"]
    verdicts = {Path(f.path).name: (f.unit, f.verdict.value) for f in run.files}
    assert verdicts[chain["sent"].name] == ("PB-GDDT", "accepted-with-warnings")  # schools under the staff target
    report = next(f for f in run.files if f.unit == "PB-GDDT")
    assert report.identified_by == "metadata" and not report.has_errors
    assert len(report.rows) == 1 + 100


def test_the_city_figures_equal_the_schools_and_communes_inputs_to_the_unit(chain):
    inputs, city, district = chain["inputs"], chain["city"], chain["district"]
    assert [(Path(f.path).name, f.unit, f.has_errors) for f in chain["city_run"].files] == [
        (chain["up"].name, "QH-271", False)]
    view = city.round_view(city.campaign.round(3))
    ba_vi = view.result.units.set_index("code").loc["QH-271"]
    for key in ("staff_total", "staff_installed", "residents", "smartphones", "residents_installed"):
        expected = sum(figures.get(key, 0) for figures in inputs.values())
        assert int(ba_vi[key]) == expected, key
    # The district's own consolidation says the same, unit by unit.
    units = district.round_view(district.campaign.round(3)).result.units.set_index("code")
    for code, figures in inputs.items():
        assert {k: int(units.loc[code, k]) for k in figures} == figures
    assert not units.loc["XA-09625", "reported"]
    # The city keeps Ba Vì's groups: one line per group of the district's workbook, with their sums.
    groups = view.subtotals["QH-271"]
    assert [g.unit.rsplit(" (", 1)[0] for g in groups] == [g.label for g in district.campaign.groups]
    communes = next(g for g in groups if g.unit.startswith("Các xã, thị trấn"))
    assert communes.counts["smartphones"] == sum(inputs[code]["smartphones"] for code in COMMUNES)


def test_the_same_figures_whether_the_office_sends_its_form_or_its_workbook(chain, tmp_path, filled_form, libreoffice):
    inputs = chain["inputs"]
    office = Office.open(_fresh_district(tmp_path))
    figures = {code: inputs[code] for code in ["PB-GDDT", *(u.code for u in office.registry.children("PB-GDDT"))]}
    typed = filled_form(tmp_path / "typed" / "PB-GDDT.xlsx", "PB-GDDT", 3, figures, "17/8/2024")
    libreoffice.resave_many([typed], tmp_path / "inbox")
    office.ingest(tmp_path / "inbox", 3)
    by_form = office.round_view(office.campaign.round(3)).result.units.set_index("code")
    by_workbook = chain["district"].round_view(chain["district"].campaign.round(3)).result.units.set_index("code")
    for code in figures:
        for key in ("staff_total", "staff_installed"):
            assert by_form.loc[code, key] == by_workbook.loc[code, key], (code, key)


def _fresh_district(tmp_path: Path) -> Path:
    root = tmp_path / "huyen"
    write_config(root, force=False)
    return root


def test_a_workbook_edited_by_hand_is_sent_back_naming_the_row(chain, tmp_path):
    edited = tmp_path / "inbox" / "GDDT-sua-tay.xlsx"
    edited.parent.mkdir()
    book = openpyxl.load_workbook(chain["sent"])
    sheet = book["Tổng hợp"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "Trường Mầm non Tây Đằng")
    sheet.cell(row, 4).value = int(sheet.cell(row, 4).value) - 5  # installed staff of one school, lowered by hand
    book.save(edited)
    office = Office.open(_fresh_district(tmp_path))
    report = office.ingest(edited.parent, 3).files[0]
    mismatches = [f for f in report.findings if f.code == "total-row-mismatch"]
    assert report.verdict.value == "rejected" and mismatches
    assert {f.cell[:1] for f in mismatches} == {"D"} and all(f.cell[1:].isdigit() for f in mismatches)


def test_a_lower_workbook_of_another_campaign_or_round_names_both(chain, tmp_path):
    office = Office.open(_fresh_district(tmp_path))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(chain["sent"], inbox / "GDDT.xlsx")
    report = office.ingest(inbox, 2).files[0]
    (mismatch,) = [f for f in report.findings if f.code == "round-mismatch"]
    assert "lần 3" in mismatch.message and "lần 2" in mismatch.message
    city = chain["city"]
    wrong = city.ingest(inbox, 3).files[0]  # the Education Office's workbook sent straight to the city
    (campaign,) = [f for f in wrong.findings if f.code == "campaign-mismatch"]
    assert "ba-vi-ihanoi-2024" in campaign.message and "ha-noi-ihanoi-2024" in campaign.message


def test_a_school_in_the_office_workbook_and_in_its_own_form_counts_once_and_is_named(chain, tmp_path,
                                                                                       filled_form):
    office = Office.open(_fresh_district(tmp_path))
    own = {"staff_total": 99, "staff_installed": 99}
    school = filled_form(tmp_path / "truong" / "MN-TAYDANG.xlsx", "MN-TAYDANG", 3, {"MN-TAYDANG": own}, "18/8/2024")
    first = office.ingest(school.parent, 3).files[0]
    assert first.verdict.value == "accepted-with-warnings"
    assert [f.code for f in first.findings if f.severity.value == "warning"] == ["unit-reports-through"]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(chain["sent"], inbox / "GDDT.xlsx")  # written after 18/8/2024: the later report
    report = office.ingest(inbox, 3).files[0]
    (twice,) = [f for f in report.findings if f.code == "unit-in-two-reports"]
    assert "MN-TAYDANG.xlsx (ngày 18/8/2024)" in twice.message and "GDDT.xlsx" in twice.message
    assert twice.args["kept"] == "GDDT.xlsx"
    units = office.round_view(office.campaign.round(3)).result.units.set_index("code")
    assert int(units.loc["MN-TAYDANG", "staff_total"]) == chain["inputs"]["MN-TAYDANG"]["staff_total"]


def test_init_for_refuses_a_unit_without_sub_units_or_unknown(tmp_path):
    office = Office.open(_fresh_district(tmp_path))
    for code in ("XA-09694", "KHONG-CO"):
        with pytest.raises(UsageError):
            write_sub_workspace(office, code, tmp_path / code)
    assert not (tmp_path / "XA-09694").exists()


def test_init_for_from_the_command_line(run_cli, workspace, tmp_path):
    code, _out, err = run_cli("init", str(tmp_path / "gddt"), "--for", "PB-GDDT", "--days-before", "3")
    assert code == ExitCode.OK, err
    data = tomllib.loads((tmp_path / "gddt" / "campaign.toml").read_text(encoding="utf-8"))
    parent = load_campaign(shipped_dir("templates") / "campaign.toml")
    assert [(p.due - r["due"]).days for p, r in zip(parent.rounds, data["rounds"], strict=True)] == [3] * 4
    assert run_cli("init", str(tmp_path / "gddt"), "--for", "PB-GDDT")[0] == ExitCode.FAILED  # never overwritten


def test_city_example_workspace(run_cli, tmp_path):
    code, _out, err = run_cli("init", str(tmp_path / "tp"), "--city")
    assert code == ExitCode.OK, err
    office = Office.open(tmp_path / "tp")
    assert len(office.registry.reporting_units()) == 30 and office.campaign.level.whole == "toàn thành phố"


def test_ingest_sees_the_whole_chain_in_one_folder(chain, tmp_path):
    """What the district receives in one folder (the office's workbook and forms) goes through one ingest."""
    office = Office.open(_fresh_district(tmp_path))
    folder = chain["root"] / "inbox-huyen"
    result = ingest_folder(folder, office.workspace, office.campaign, office.registry, 3)
    assert sorted(f.unit for f in result.files) == sorted(["PB-GDDT", *COMMUNES])


DISTRICT_WORDS = ("Toàn huyện", "toàn huyện", "trực thuộc huyện", "UBND huyện", "Huyện ủy", "VHTT",
                  "Văn hóa và Thông tin báo cáo", "-/-")


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _workbook_text(path: Path) -> str:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return "\n".join(str(cell) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python()
                     for cell in row)  # fmt: skip


def test_the_education_office_speaks_as_itself_with_no_district_word(chain, tmp_path):
    gddt = chain["gddt"]
    pack = gddt.summary(gddt.campaign.round(3), tmp_path / "pack", force=False)
    report = next(pack.folder.glob("*.docx"))
    text = _docx_text(report)
    for words in DISTRICT_WORDS:
        assert words not in text, words
    assert "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" in text and "/BC-GDĐT" in text and "Lưu: VT, GDĐT." in text
    assert "Kính gửi: Phòng Văn hóa và Thông tin." in text
    assert "Phòng Giáo dục và Đào tạo báo cáo Phòng Văn hóa và Thông tin tổng hợp./." in text
    workbook = _workbook_text(next(pack.folder.glob("*.xlsx")))
    for words in DISTRICT_WORDS:
        assert words not in workbook, words


def test_the_sub_workspace_campaign_keeps_the_parents_comments_and_long_strings(chain):
    parent = (shipped_dir("templates") / "campaign.toml").read_text(encoding="utf-8")
    written = (chain["gddt"].workspace.root / "campaign.toml").read_text(encoding="utf-8")
    parent_comments = [line for line in parent.splitlines() if line.startswith("#")]
    kept = [line for line in parent_comments if line in written.splitlines()]
    assert len(kept) == len(parent_comments), set(parent_comments) - set(kept)
    assert written.count('"""') >= parent.count('"""') - 2  # multi-line strings stay multi-line
    assert 'staff = """Các đơn vị trực thuộc có {installed}/{total}' in written
    assert tomllib.loads(written)["summary"]["number"].endswith("/BC-GDĐT")


def test_the_offices_own_consolidated_workbook_in_its_inbox_is_its_output_not_a_return(chain, tmp_path):
    """The district's workbook for the city (saved by LibreOffice), dropped back into the district's own inbox
    beside a commune's form: skipped as the tool's own file, never "unit unknown" sent back with a copy."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(chain["up"], inbox / chain["up"].name)
    form_file = next(p for p in sorted((chain["root"] / "inbox-huyen").glob("*.xlsx")) if p != chain["sent"])
    shutil.copy(form_file, inbox / form_file.name)
    run = Office.open(_fresh_district(tmp_path)).ingest(inbox, 3)
    by_name = {Path(f.path).name: f for f in run.files}
    own = by_name[chain["up"].name]
    assert (own.verdict.value, own.reason, own.findings) == ("skipped", "tool-output", [])
    assert by_name[form_file.name].verdict.value.startswith("accepted")


def _commune_with_an_agency_over_two_schools(folder: Path) -> Path:
    """The digital-skills commune's workspace, its two schools under the People's Committee's office (CQ-UBND)."""
    write_config(folder, force=False, campaign="binh-dan-hoc-vu-so")
    units = folder / "units.csv"
    text = units.read_text(encoding="utf-8-sig")
    for school in ("TR-MN,Trường Mầm non Quảng Oai,truong,0,", "TR-TH,Trường Tiểu học Quảng Oai,truong,0,"):
        assert school + "," in text
        text = text.replace(school + ",", school + "CQ-UBND,")
    units.write_text(text, encoding="utf-8-sig")
    return folder


def test_a_sub_collector_of_another_campaign_gets_no_ihanoi_sentence(tmp_path):
    """A commune's digital-skills campaign, whose schools an agency collects: the agency's workspace speaks as
    itself in that campaign's words (its sub-collector.toml), with none of iHaNoi's sentences."""
    commune = _commune_with_an_agency_over_two_schools(tmp_path / "xa")
    written_sub = write_sub_workspace(Office.open(commune), "CQ-UBND", tmp_path / "van-phong")
    assert written_sub.parent_sentences == ()  # the campaign ships a sub-collector's sentence for its target
    sub = written_sub.campaign.parent
    written = (sub / "campaign.toml").read_text(encoding="utf-8")
    assert "iHanoi" not in written and "staff" not in tomllib.loads(written)["summary"]
    office = Office.open(sub)
    words = office.campaign.summary
    assert words is not None and words("proposal_target", units="X").startswith("Văn phòng HĐND và UBND xã tiếp tục")
    # the campaign's own words for a sub-collector (beside its shipped campaign.toml): its units, not "Toàn xã"
    assert words("digital", done="1", whole="2", share="50%", change="").startswith("Các đơn vị trực thuộc có 1/2 ")
    assert words("reporting_heading") == "1. Tình hình báo cáo của các đơn vị trực thuộc"
    assert words("total_row") == "Tổng cộng"
    assert [u.code for u in office.registry.reporting_units()] == ["CQ-UBND", "TR-MN", "TR-TH"]


def test_init_for_in_an_offices_own_campaign_names_the_sentences_it_kept(run_cli, tmp_path):
    """An office's own campaign (another id: no words for a sub-collector ship with it): its target's sentence is
    copied as the commune wrote it ("Toàn xã có …"), and init --for says so, naming it and the file to read."""
    commune = _commune_with_an_agency_over_two_schools(tmp_path / "xa")
    config = commune / "campaign.toml"
    text = config.read_text(encoding="utf-8")
    assert 'id = "quang-oai-bdhvs-2025"' in text
    config.write_text(text.replace('id = "quang-oai-bdhvs-2025"', 'id = "ky-nang-so-cua-xa"', 1), encoding="utf-8")
    written = write_sub_workspace(Office.open(commune), "CQ-UBND", tmp_path / "van-phong")
    assert written.parent_sentences == ("digital",)
    words = Office.open(written.campaign.parent).campaign.summary
    assert words is not None and words("digital", done="1", whole="2", share="50%", change="").startswith("Toàn xã")
    code, out, err = run_cli("init", str(tmp_path / "van-phong-2"), "--for", "CQ-UBND", "--workspace", str(commune))
    assert code == ExitCode.OK, err
    said = " ".join((out + err).split())
    assert "giữ nguyên lời văn của cấp trên cho chỉ tiêu digital" in said and "van-phong-2" in said
    code, out, err = run_cli("init", str(tmp_path / "van-phong-3"), "--for", "CQ-UBND",
                             "--workspace", str(_commune_with_an_agency_over_two_schools(tmp_path / "xa-2")))
    assert code == ExitCode.OK and "lời văn của cấp trên" not in " ".join((out + err).split())


def test_an_older_sub_collectors_own_proposal_is_not_replaced_by_the_districts(chain, tmp_path):
    """A sub-collector's campaign.toml written before proposal_report existed: its own proposal stays the one
    sentence, never the district's "Đề nghị UBND huyện chỉ đạo…" taken from the shipped file for the new keys."""
    older = tmp_path / "gddt"
    older.mkdir()
    written = (chain["gddt"].workspace.root / "campaign.toml").read_text(encoding="utf-8")
    kept = [line for line in written.splitlines() if not line.startswith(("proposal_report", "proposal_target",
                                                                          "zalo_remind_report", "zalo_remind_target"))]
    (older / "campaign.toml").write_text("\n".join(kept), encoding="utf-8")
    words = load_campaign(older / "campaign.toml").summary
    assert words is not None and not words.has("proposal_report") and not words.has("proposal_target")
    assert words("proposal", units="X").startswith("Phòng Giáo dục và Đào tạo tiếp tục đôn đốc")
    assert words.has("zalo_remind_report")  # its Zalo sentence is the district's own, so its refinements come too
