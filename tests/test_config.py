from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ihanoi_report.config import Round, Workspace, load_campaign, shipped_dir
from ihanoi_report.errors import ConfigError
from ihanoi_report.units import load_registry

TEMPLATES = shipped_dir("templates")


def test_shipped_campaign_is_the_ba_vi_2024_campaign(campaign):
    assert campaign.authority == "ỦY BAN NHÂN DÂN HUYỆN BA VÌ"
    assert [r.due for r in campaign.rounds] == [date(2024, 7, 19), date(2024, 7, 26), date(2024, 8, 20),
                                               date(2024, 9, 10)]
    assert campaign.targets["staff"].deadline == date(2024, 7, 25)
    assert campaign.targets["residents"].deadline == date(2024, 8, 31)
    assert campaign.title(campaign.round(3)).endswith("(LẦN 3)")


def test_targets_are_judged_from_the_first_round_due_after_their_deadline(campaign):
    judged = {key: [r.number for r in campaign.rounds if campaign.target_applies(key, r)]
              for key in ("staff", "residents")}
    assert judged == {"staff": [2, 3, 4], "residents": [4]}


def test_round_windows_cover_the_campaign(campaign):
    assert campaign.round_on(date(2024, 7, 19)).number == 1
    assert campaign.round_on(date(2024, 7, 20)).number == 2
    assert campaign.round_on(date(2024, 9, 1)).number == 4
    assert campaign.round_on(date(2026, 11, 28)) is None


def test_registry_has_every_commune_and_groups_in_report_order(registry):
    communes = registry.in_group("xa")
    assert len(communes) == 31 and all(u.has_residents for u in communes)
    assert registry.get("XA-09694").name == "Xã Tản Lĩnh"
    groups = [u.group for u in registry]
    assert groups == sorted(groups, key=["phong-ban", "doan-the", "hiep-quan", "xa", "truong"].index)
    schools = registry.in_group("truong")
    assert schools and all(u.parent == "PB-GDDT" for u in schools)
    assert set(registry.children("PB-GDDT")) == set(schools)


def test_a_rounds_example_date_is_one_its_form_takes_and_no_one_reads_month_first(campaign):
    """The date a form and a finding show as an example: the round's due date, or the latest day of its window
    that cannot be read as a month (round 4 is due 10/9/2024, which month/day reads as 9 October)."""
    assert [r.example_day for r in campaign.rounds] == [date(2024, 7, 19), date(2024, 7, 26), date(2024, 8, 20),
                                                       date(2024, 8, 31)]
    assert all(r.contains(r.example_day) for r in campaign.rounds)
    early = Round(1, opens=date(2025, 3, 2), due=date(2025, 3, 10))  # every day of the window reads as a month
    assert early.example_day == date(2025, 3, 10)


def test_units_csv_opens_in_excel_as_utf8():
    assert (TEMPLATES / "units.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def _edit(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (TEMPLATES / name).read_text(encoding="utf-8-sig")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_due_date_that_is_not_a_date_names_file_and_line(tmp_path):
    path = _edit(tmp_path, "campaign.toml", "due = 2024-07-26", 'due = "26/7"')
    with pytest.raises(ConfigError) as err:
        load_campaign(path)
    line = next(i for i, s in enumerate(path.read_text().splitlines(), 1) if '"26/7"' in s)
    assert f"{path}, dòng {line}" in err.value.message


def test_toml_syntax_error_names_the_line(tmp_path):
    path = _edit(tmp_path, "campaign.toml", "[checks]", "[checks")
    with pytest.raises(ConfigError, match="dòng"):
        load_campaign(path)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("PB-NV,Phòng Nội vụ,phong-ban", "PB-NV,Phòng Nội vụ,phong-bann", 'nhóm "phong-bann"'),
        ("PB-NV,Phòng Nội vụ", "PB-VP,Phòng Nội vụ", 'trùng với dòng 2'),
        (",PB-GDDT,mn.taydang", ",PB-XXX,mn.taydang", 'cấp trên "PB-XXX"'),
        ("PB-NV,Phòng Nội vụ,phong-ban,0", "PB-NV,Phòng Nội vụ,phong-ban,có lẽ", "has_residents"),
    ],
)
def test_a_broken_registry_names_file_and_line(tmp_path, campaign, old, new, expected):
    path = _edit(tmp_path, "units.csv", old, new)
    with pytest.raises(ConfigError) as err:
        load_registry(path, campaign.groups)
    assert str(path) in err.value.message and expected in err.value.message
    line = next(i for i, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new in s)
    assert f"dòng {line}:" in err.value.message


def test_workspace_copies_win_over_the_defaults(tmp_path):
    ws = Workspace(tmp_path)
    assert ws.campaign_path == TEMPLATES / "campaign.toml"
    (tmp_path / "campaign.toml").write_text("x")
    assert ws.campaign_path == tmp_path / "campaign.toml"


def test_a_missing_key_is_said_at_the_line_of_its_table(tmp_path):
    from ihanoi_report.config import load_campaign, shipped_dir
    from ihanoi_report.errors import ConfigError

    text = (shipped_dir("templates") / "campaign.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    third = [i for i, line in enumerate(lines) if line == "[[rounds]]"][2]
    assert lines[third + 2].startswith("due =")
    del lines[third + 2]  # round 3 without its due date
    (tmp_path / "campaign.toml").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ConfigError) as failure:
        load_campaign(tmp_path / "campaign.toml")
    assert f"dòng {third + 1}:" in failure.value.message and "due" in failure.value.message


@pytest.mark.parametrize(("campaign_id", "filled"), [("quang-oai-bdhvs-2025", True), ("tan-dan-bdhvs-2026", False)])
def test_a_key_a_campaign_lacks_comes_only_from_its_own_shipped_words(tmp_path, campaign_id, filled):
    """A copy of a shipped campaign made by an earlier version gets that campaign's words for a key added since;
    an office's own campaign (another id) gets nothing: never iHaNoi's "… ứng dụng iHanoi" in another's picture."""
    text = (TEMPLATES / "campaigns" / "binh-dan-hoc-vu-so" / "campaign.toml").read_text(encoding="utf-8")
    assert 'id = "quang-oai-bdhvs-2025"' in text
    lines = [line for line in text.replace('id = "quang-oai-bdhvs-2025"', f'id = "{campaign_id}"').splitlines()
             if not line.startswith("chart_progress")]
    (tmp_path / "campaign.toml").write_text("\n".join(lines), encoding="utf-8")
    words = load_campaign(tmp_path / "campaign.toml").summary
    assert words is not None
    if filled:
        assert words("chart_progress", district="Xã Quảng Oai", round=3).startswith("Xã Quảng Oai: tỷ lệ phổ cập")
    else:
        assert not words.has("chart_progress")  # the picture takes the tool's own neutral title
    assert "iHanoi" not in " ".join(words.text.values())


def _rounds_written(text: str, rounds: str) -> str:
    """The shipped campaign with its [[rounds]] written another way, before its first table."""
    start, end = text.index("[[rounds]]\nnumber = 1"), text.index("[targets.staff]")
    comments = text[start:end][text[start:end].index("\n#"):]  # the targets' comments after the rounds
    text = text[:start] + comments + text[end:]
    first = text.index("[campaign]")
    return text[:first] + rounds + "\n" + text[first:]


@pytest.mark.parametrize(
    ("rounds", "wrong"),
    [
        # an array of inline tables: the third round's due date is wrong, on its own line
        ("rounds = [\n  { number = 1, due = 2024-07-19 },\n  { number = 2, due = 2024-07-26 },\n"
         '  { number = 3, due = "20/8" },\n  { number = 4, due = 2024-09-10 },\n]\n', '"20/8"'),
        # a quoted key inside an array of tables
        ("[[rounds]]\nnumber = 1\ndue = 2024-07-19\n[[rounds]]\nnumber = 2\ndue = 2024-07-26\n"
         '[[rounds]]\nnumber = 3\n"due" = "20/8"\n[[rounds]]\nnumber = 4\ndue = 2024-09-10\n', '"20/8"'),
    ],
)
def test_an_error_names_the_line_the_parser_read_the_key_on(tmp_path, rounds, wrong):
    text = _rounds_written((TEMPLATES / "campaign.toml").read_text(encoding="utf-8"), rounds)
    path = tmp_path / "campaign.toml"
    if rounds.startswith("[[rounds]]"):  # tables must come last: these go where the shipped ones stood
        text = text.replace(rounds + "\n", "", 1).replace("[targets.staff]", rounds + "\n[targets.staff]", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as failure:
        load_campaign(path)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if wrong in s)
    assert f"dòng {line}:" in failure.value.message and "due" in failure.value.message


def test_a_right_campaign_is_read_without_tomlkit():
    """The parser that places errors is loaded only when there is an error to place."""
    import subprocess
    import sys

    script = ("import sys; from ihanoi_report.config import load_campaign, shipped_dir; "
              "load_campaign(shipped_dir('templates') / 'campaign.toml'); print('tomlkit' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_an_array_of_the_wrong_kind_is_said_at_its_line(tmp_path):
    text = _rounds_written((TEMPLATES / "campaign.toml").read_text(encoding="utf-8"), "rounds = [1, 2, 3]\n")
    path = tmp_path / "campaign.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as failure:
        load_campaign(path)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s.startswith("rounds = [1"))
    assert f"dòng {line}:" in failure.value.message and "rounds" in failure.value.message
