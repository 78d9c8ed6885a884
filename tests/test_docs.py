"""Docs cannot drift: every command has help and is in the README; every finding code is documented."""

from __future__ import annotations

from pathlib import Path

from ihanoi_report.checks import RULES
from ihanoi_report.messages import CATALOG

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_finding_code_is_in_the_readme_table_with_its_severity():
    for rule in RULES:
        assert f"| `{rule.code}` |" in README, rule.code


def test_the_readme_table_is_the_registry_in_its_order_with_each_codes_check():
    from ihanoi_report.checks import CHECK_OF
    from ihanoi_report.messages import vi

    table = [line.strip("|").split(" | ") for line in README.splitlines() if line.startswith("| `")
             and line.count(" | ") == 3]
    severity = {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin"}
    assert [cells[0].strip(" `") for cells in table] == [rule.code for rule in RULES]
    for cells, rule in zip(table, RULES, strict=True):
        assert cells[1].startswith(severity[rule.severity.value]), rule.code
        assert cells[2] == vi(f"check-{CHECK_OF[rule.code].name}"), rule.code


def test_every_finding_code_has_a_short_title_for_the_grouped_output():
    assert [rule.code for rule in RULES if f"title-{rule.code}" not in CATALOG] == []


def test_every_command_has_help_and_is_in_the_readme():
    from ihanoi_report.cli.app import app

    commands = list(app.registered_commands)  # the app's own list: a command added tomorrow is checked too
    assert {c.name for c in commands} >= {"init", "template", "ingest", "consolidate", "status", "summary", "rank",
                                          "demo", "rules"}
    for command in commands:
        assert command.help, command.name
        assert f"ihanoi-report {command.name}" in README or f"`{command.name}`" in README, command.name


def test_every_sentence_exists_in_both_languages_with_the_same_blanks():
    import string

    for key, (vi, en) in CATALOG.items():
        assert vi.strip() and en.strip(), key
        names = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
        assert names(vi) == names(en), key


def test_the_readme_starts_with_the_two_setup_commands():
    blocks = README.split("```sh")[1:3]
    assert "pip install . && ihanoi-report demo" in blocks[0]
    assert 'pip install ".[test]" && python -m pytest -q' in blocks[1]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -q ".[test]" && python -m pytest -q' in ci


def test_the_public_api_is_small_and_importable():
    import ihanoi_report

    for name in ihanoi_report.__all__:
        assert getattr(ihanoi_report, name) is not None, name
