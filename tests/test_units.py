from __future__ import annotations

import random
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ihanoi_report.units import name_key, slug
from ihanoi_report.words import fold


def test_names_match_without_diacritics_case_or_prefixes(registry):
    for typed in ("UBND xã Tản Lĩnh", "XA TAN LINH", "  tản   lĩnh ", "Ủy ban nhân dân xã Tản Lĩnh", "Xã Tản Lĩnh"):
        assert [u.code for u in registry.by_name(typed)] == ["XA-09694"], typed


def test_file_names_find_the_longest_unit_name(registry):
    assert [u.code for u in registry.in_text("bao cao xa Tan Linh (1).xlsx")] == ["XA-09694"]
    assert [u.code for u in registry.in_text("Bao cao truong THPT Ba Vi lan 2")] == ["THPT-BAVI"]
    assert [u.code for u in registry.in_text("xa Ba Vi")] == ["XA-09703"]


def test_nfd_input_matches_nfc_names(registry):
    import unicodedata

    assert registry.by_name(unicodedata.normalize("NFD", "Xã Tản Lĩnh"))[0].code == "XA-09694"


@given(st.text())
def test_slug_is_always_a_safe_ascii_file_name(text):
    s = slug(text)
    assert s and s.isascii() and "/" not in s and ".." not in s and "\\" not in s and not s.startswith("-")


def test_fold_and_key():
    assert fold("Phòng Văn hóa  và Thông tin") == "phong van hoa va thong tin"
    assert name_key("Trường Mầm non Đồng Thái") == "mam non dong thai"


def _fold_by_definition(text: str) -> str:
    """fold as first written: NFD, drop the marks, đ -> d, keep letters and digits."""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def test_fold_agrees_with_its_definition_on_every_character_and_on_decomposed_text():
    assert [hex(c) for c in range(0x20, 0x3000) if fold(chr(c)) != _fold_by_definition(chr(c))] == []
    rng = random.Random(5)
    alphabet = "ăâđêôơưĐàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ aB -_/(12\u0301\u0323"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25)))
        for form in ("NFC", "NFD"):
            variant = unicodedata.normalize(form, text)
            assert fold(variant) == _fold_by_definition(variant), variant


@pytest.mark.parametrize(("rows", "line", "words"), [
    (["A,Đơn vị A,phong-ban,0,B,", "B,Đơn vị B,phong-ban,0,A,"], 2, "vòng lặp"),
    (["A,Đơn vị A,phong-ban,0,A,"], 2, "vòng lặp"),
    (["A,Đơn vị A,phong-ban,0,,", "B,Đơn vị B,phong-ban,0,A,", "C,Đơn vị C,phong-ban,0,B,"], 4, "init --for B"),
    (["A,Đơn vị A,phong-ban,0,KHONG,"], 2, "KHONG"),
])
def test_a_parent_that_loops_nests_or_is_missing_is_a_config_error_with_its_line(tmp_path, campaign, rows, line,
                                                                                   words):
    from ihanoi_report.errors import ConfigError
    from ihanoi_report.units import load_registry

    path = tmp_path / "units.csv"
    path.write_text("\n".join(["code,name,group,has_residents,parent,contact", *rows]) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as failure:
        load_registry(path, campaign.groups)
    assert f"dòng {line}" in failure.value.message and words in failure.value.message, failure.value.message


def _registry_of(tmp_path, campaign, header: str, *rows: str):
    from ihanoi_report.units import load_registry

    path = tmp_path / "units.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return load_registry(path, campaign.groups)


def test_a_units_own_letterhead_comes_before_its_groups_and_the_campaigns(tmp_path, campaign):
    registry = _registry_of(
        tmp_path, campaign, "code,name,group,has_residents,parent,contact,governing,place",
        "HQ-KBNN,Kho bạc Nhà nước Ba Vì,hiep-quan,0,,,KHO BẠC NHÀ NƯỚC HÀ NỘI,",
        "XA-1,Xã Tản Lĩnh,xa,1,,,,Tản Lĩnh",
        "PB-NV,Phòng Nội vụ,phong-ban,0,,,,",
    )
    heads = {u.code: registry.letterhead(u, campaign.authority, campaign.place) for u in registry}
    assert (heads["HQ-KBNN"].governing, heads["HQ-KBNN"].place) == ("KHO BẠC NHÀ NƯỚC HÀ NỘI", "Ba Vì")
    assert (heads["XA-1"].governing, heads["XA-1"].name, heads["XA-1"].place) == (
        "ỦY BAN NHÂN DÂN", "XÃ TẢN LĨNH", "Tản Lĩnh")  # the commune group's default, the unit's own place
    assert heads["PB-NV"].governing == campaign.authority == "ỦY BAN NHÂN DÂN HUYỆN BA VÌ"
    assert registry.addressee(registry.get("XA-1")) == "UBND xã Tản Lĩnh"  # type: ignore[arg-type]
    assert registry.addressee(registry.get("PB-NV")) == "Phòng Nội vụ"  # type: ignore[arg-type]


def test_the_registry_without_letterhead_columns_still_reads(tmp_path, campaign):
    registry = _registry_of(tmp_path, campaign, "code,name,group,has_residents,parent,contact",
                            "XA-1,Xã Tản Lĩnh,xa,1,,")
    head = registry.letterhead(registry.get("XA-1"), campaign.authority, campaign.place)  # type: ignore[arg-type]
    assert (head.governing, head.place) == ("ỦY BAN NHÂN DÂN", "Ba Vì")


@pytest.mark.parametrize("header", ["code,name,group,has_residents,parent,contact,governor",
                                    "code,name,group,has_residents,parent,contact,place,place"])
def test_an_unknown_or_repeated_extra_column_is_refused_on_line_1(tmp_path, campaign, header):
    from ihanoi_report.errors import ConfigError

    with pytest.raises(ConfigError) as failure:
        _registry_of(tmp_path, campaign, header, "XA-1,Xã Tản Lĩnh,xa,1,,,,")
    assert "dòng 1" in failure.value.message and "governing, place" in failure.value.message


def test_the_shipped_registry_heads_every_commune_and_vertical_unit_as_itself(registry, campaign):
    for unit in registry:
        head = registry.letterhead(unit, campaign.authority, campaign.place)
        if unit.group == "xa":
            assert head.governing == "ỦY BAN NHÂN DÂN" and head.place and head.place in unit.name, unit
        if unit.group in ("hiep-quan", "doan-the"):
            assert head.governing != campaign.authority, unit
