"""The form as campaign.toml declares it: every mistake said at its line, the shipped declaration reads the
iHaNoi form as before, a declared word changes what the reader finds, and what this release cannot yet store
is refused before any work."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from ihanoi_report import form
from ihanoi_report.config import load_campaign, shipped_dir
from ihanoi_report.errors import ConfigError

TEMPLATES = shipped_dir("templates")
SHIPPED = (TEMPLATES / "campaign.toml").read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _load_edited(tmp_path: Path, old: str, new: str) -> tuple[str, Path]:
    assert old in SHIPPED
    text = SHIPPED.replace(old, new, 1)
    path = tmp_path / "campaign.toml"
    path.write_text(text, encoding="utf-8")
    return text, path


@pytest.mark.parametrize(
    ("old", "new", "at", "words"),
    [
        ('part = "smartphones"\nwhole = "residents"', 'part = "smartphone"\nwhole = "residents"', 'part = "smartphone"',
         "smartphone"),
        ('key = "smartphones"\n', 'key = "residents"\n', 'key = "residents"\nheading = "residents"\nlabel = "Số',
         "hai lần"),
        ('label = "Đã cài đặt iHanoi"', 'label = "Tổng số"', 'label = "Tổng số"\nname = "số CBCCVC', "cùng tên"),
        ('key = "staff_share"\npart = "staff_installed"\nwhole = "staff_total"',
         'key = "staff_share"\npart = "staff_installed"\nwhole = "smartphones"',
         'whole = "smartphones"\nlabel = "Tỷ lệ CBCCVC', "có thể để trống"),
        ('label = "Số người dân có điện thoại thông minh"', 'label = "Số máy"', 'label = "Số máy"',
         "không được đọc ra"),
        ('prompt = "Số người dân có ĐT thông minh"', 'prompt = "Số người dân có điện thoại thông minh"',
         'prompt = "Số người dân có điện thoại thông minh"', "32"),
        ('filled_by = "flag:has_residents"', 'filled_by = "flag:has_phones"', 'filled_by = "flag:has_phones"',
         "flag:has_residents"),
        ('measure = "resident_share"', 'measure = "phone_share"', 'measure = "phone_share"', "phone_share"),
    ],
    ids=["unknown-column", "key-twice", "label-twice", "whole-may-be-blank", "label-not-read-back", "prompt-long",
         "unknown-flag", "unknown-share"],
)
def test_a_mistake_in_the_declared_form_names_its_line(tmp_path, old, new, at, words):
    text, path = _load_edited(tmp_path, old, new)
    with pytest.raises(ConfigError) as error:
        load_campaign(path)
    assert f"campaign.toml, dòng {_line_of(text, at)}" in error.value.message
    assert words in error.value.message


def test_the_shipped_declaration_is_the_ihanoi_form(campaign):
    spec = campaign.declared
    assert [c.letter for c in form.count_columns(spec)] == ["C", "D", "E", "F", "G"]
    assert [(c.part, c.whole) for c in spec.checks] == [("staff_installed", "staff_total"),
                                                       ("residents_installed", "smartphones"),
                                                       ("smartphones", "residents")]
    assert {t.key: t.measure for t in campaign.targets.values()} == {"staff": "staff_share",
                                                                     "residents": "resident_share"}


@pytest.mark.parametrize(
    ("label", "heading", "key"),
    [
        ("Tổng số CBCCVC", "", "staff_total"), ("Số CBCCVC đã cài", "", "staff_installed"),
        ("Tổng số", "Cài đặt cho CBCCVC của cơ quan", "staff_total"), ("Dân số", "", "residents"),
        ("Số dân có ĐTTM", "", "smartphones"), ("Số người dân đã cài đặt iHanoi", "", "residents_installed"),
        ("Tỷ lệ (%)", "Cài đặt cho người dân", None), ("Ghi chú", "", None), ("Tổng số", "", None), ("7", "", None),
    ],
)
def test_retyped_headers_find_their_declared_column(campaign, label, heading, key):
    found = campaign.declared.column_for_header(label, heading)
    assert (found.key if found else None) == key


def test_a_declared_alias_is_read_as_its_column(tmp_path):
    before = load_campaign(TEMPLATES / "campaign.toml").declared
    assert before.column_for_header("Số thuê bao 4G", "") is None
    _, path = _load_edited(tmp_path, 'name_en = "residents with a smartphone"\n',
                           'name_en = "residents with a smartphone"\naliases = ["Số thuê bao 4G"]\n')
    found = load_campaign(path).declared.column_for_header("Số thuê bao 4G", "")
    assert found is not None and found.key == "smartphones"


def test_an_older_campaign_toml_without_the_declared_form_gets_the_shipped_one(tmp_path):
    start, end = SHIPPED.index("# Dòng tên biểu"), SHIPPED.index("# Báo cáo tổng hợp của Phòng")
    older = SHIPPED[:start] + SHIPPED[end:]
    head, targets = older.split("[targets.staff]")
    older = head + "[targets.staff]" + re.sub(r'^(measure|code|column) = .*\n', "", targets, flags=re.MULTILINE)
    assert "[[form.columns]]" not in older and "measure =" not in older.split("[targets.staff]")[1]
    path = tmp_path / "campaign.toml"
    path.write_text(older, encoding="utf-8")
    campaign = load_campaign(path)
    assert campaign.declared.keys == load_campaign(TEMPLATES / "campaign.toml").declared.keys
    assert campaign.targets["residents"].code == "resident-target-missed"


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("IHANOI_WORKSPACE", None)
    return subprocess.run([sys.executable, "-m", "ihanoi_report", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=300)


def _workspace(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "campaign.toml").write_text(text, encoding="utf-8")
    (root / "units.csv").write_bytes((TEMPLATES / "units.csv").read_bytes())
    return root


def test_a_form_with_its_own_column_keys_runs_the_whole_cycle(tmp_path):
    """A column declared under another key ("phones") is written, read, checked, stored and consolidated by it."""
    root = _workspace(tmp_path, SHIPPED.replace('"smartphones"', '"phones"').replace("{smartphones}", "{phones}"))
    assert _cli("template", "--round", "3", "--unit", "XA-09694", "--out", "forms", cwd=root).returncode == 0
    (path,) = (root / "forms").glob("*.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book[form.SHEET_NAME]
    for letter, value in zip("CDEFG", (30, 28, 1000, 900, 950), strict=True):  # 950 of 900 phones: sent back
        sheet[f"{letter}{form.FIRST_DATA_ROW}"] = value
    sheet[f"{form.FOOTER_VALUE_COLUMN}{form.FIRST_DATA_ROW + 2}"] = "15/8/2024"  # one row: the date two below
    book.save(path)
    sent_back = _cli("ingest", "forms", "--round", "3", "--json", cwd=root)
    assert sent_back.returncode == 1, sent_back.stderr
    (found,) = json.loads(sent_back.stdout)["files"]
    assert [f["code"] for f in found["findings"] if f["severity"] == "error"] == ["installed-gt-smartphones"]
    sheet["G13"] = 850
    book.save(path)
    assert _cli("ingest", "forms", "--round", "3", cwd=root).returncode == 0
    assert _cli("consolidate", "--round", "3", "--format", "json", "-o", "lan-3.json", cwd=root).returncode == 0
    units = {u["code"]: u for u in json.loads((root / "lan-3.json").read_text(encoding="utf-8"))["units"]}
    assert units["XA-09694"]["phones"] == 900 and units["XA-09694"]["resident_share"] == pytest.approx(850 / 900)


def test_a_share_under_its_own_key_is_in_the_report_and_a_blank_left_behind_is_said(tmp_path):
    renamed = SHIPPED.replace('"resident_share"', '"phone_share"')
    text, path = _load_edited(tmp_path, SHIPPED, renamed)  # the Zalo message still has {resident_share}
    with pytest.raises(ConfigError) as error:
        load_campaign(path)
    assert "resident_share" in error.value.message and f"dòng {_line_of(text, 'zalo = ')}" in error.value.message
    root = _workspace(tmp_path, renamed.replace("{resident_share}", "{phone_share}"))
    assert _cli("ingest", str(shipped_dir("samples") / "round-3"), "--round", "3", cwd=root).returncode == 1
    done = _cli("summary", "--round", "3", "--out", "pack", cwd=root)
    assert done.returncode == 0, done.stderr
    message = (root / "pack" / "tin-nhan-Zalo-lan-3.txt").read_text(encoding="utf-8")
    assert "Người dân có điện thoại thông minh đã cài: " in message and "{" not in message


def test_no_module_names_a_column_of_the_campaign():
    """Every layer loops over what campaign.toml declares: no module of src/ names a column or share of the
    shipped campaign. Only the store's migration of the previous release's five fixed columns (history) and the
    blanks an older [summary] used are named, each once, where they are read."""
    spec = load_campaign(TEMPLATES / "campaign.toml").declared
    names = [*spec.keys, *(share.key for share in spec.shares)]
    named = re.compile(r"""["'.](""" + "|".join(names) + r")\b(?!-)")  # a rule's code is not a column
    src = Path(form.__file__).parent
    found = []
    for path in sorted(src.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path == src / "store.py":  # the previous release's schema, carried over figure for figure
            text = text[: text.index("_FIXED_COLUMNS = ")] + text[text.index("SCHEMA_VERSION = "):]
        found += [f"{path.relative_to(src)}:{number}" for number, line in enumerate(text.splitlines(), start=1)
                  if named.search(line.split("#")[0]) and "LEGACY_BLANKS = " not in line]
    assert found == []


def test_a_spawned_worker_knows_the_sentences_of_the_declared_columns(campaign, tmp_path):
    """Windows, macOS and `serve` (a process with threads) start workers by spawn: the campaign they unpickle
    declares its columns' sentences there too (a form written there asks for each column's hint)."""
    import pickle
    import subprocess
    import sys

    (tmp_path / "campaign.pickle").write_bytes(pickle.dumps(campaign))
    keys = [c.key for c in campaign.declared.columns]
    script = ("import pickle, sys; from ihanoi_report.messages import t; "
              f"pickle.loads(open({str(tmp_path / 'campaign.pickle')!r}, 'rb').read()); "
              f"print('|'.join(t('prompt-' + k) + '/' + t('column-' + k) for k in {keys!r}))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [f"{c.prompt}/cột {campaign.declared.number(c.key)} - "
                                                f"{c.name[:1].upper() + c.name[1:]}" for c in campaign.declared.columns]
