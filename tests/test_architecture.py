"""The house rules that a reader of the code relies on (docs/architecture.md): the pure layer loads no file
format and no database, functions and commands stay short, the Typer adjustments still fit the Typer
installed. The import contract itself is `lint-imports` (pyproject.toml), run by .ci/run."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "ihanoi_report"


def test_the_pure_layer_imports_no_file_format_nor_database():
    code = (
        "import json, sys; import ihanoi_report.checks, ihanoi_report.identify, ihanoi_report.consolidate; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'python_calamine', 'openpyxl', 'xlsxwriter', 'sqlite3', '_sqlite3'} "
        "or m in {'ihanoi_report.reader', 'ihanoi_report.store'})))"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                       check=True).stdout)
    assert loaded == []


def _functions() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                found.append((f"{path.relative_to(SRC)}:{node.lineno} {node.name}", node))
    return found


def test_no_function_is_over_sixty_lines():
    long = [(name, node.end_lineno - node.lineno + 1) for name, node in _functions()
            if (node.end_lineno or 0) - node.lineno + 1 > 60]
    assert long == []


def _commands() -> list[tuple[str, object]]:
    """Every command the app registers, so a command added tomorrow is checked the day it is added."""
    from ihanoi_report.cli.app import app

    return [(c.name or c.callback.__name__, c.callback) for c in app.registered_commands]  # type: ignore[union-attr]


def test_every_command_module_is_registered_in_the_app():
    """cli/<name>.py defining <name>() is a command; the app registers exactly those."""
    modules = {path.stem for path in (SRC / "cli").glob("*.py")
               if any(isinstance(n, ast.FunctionDef) and n.name == path.stem
                      for n in ast.parse(path.read_text(encoding="utf-8")).body)}
    assert {name for name, _ in _commands()} == modules
    assert {"init", "template", "ingest", "consolidate", "status", "summary", "rank", "demo", "rules"} <= modules


@pytest.mark.parametrize(("command", "callback"), _commands(), ids=[name for name, _ in _commands()])
def test_each_command_is_a_short_function_over_the_office(command, callback):
    import inspect

    source = Path(inspect.getfile(callback)).read_text(encoding="utf-8")
    tree = ast.parse(source)
    (function,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == callback.__name__]
    body = function.body[1:] if isinstance(function.body[0], ast.Expr) else function.body  # after a docstring
    lines = (body[-1].end_lineno or 0) - body[0].lineno + 1
    assert lines <= 20, (command, lines)


def test_the_typer_adjustments_still_fit_the_typer_installed():
    """Fails on a Typer upgrade that moves what cli/typer_hooks.py relies on (see the pin in pyproject.toml)."""
    import inspect

    import typer
    from typer._click import exceptions as click_errors
    from typer.core import TyperCommand

    assert typer.__version__.startswith("0.28.")
    assert "standalone_mode" in inspect.signature(TyperCommand.main).parameters
    for method in ("get_usage", "get_help_option", "format_help", "get_params"):
        assert callable(getattr(TyperCommand, method, None)), method
    assert {"option_name", "possibilities"} <= set(vars(click_errors.NoSuchOption("--x", possibilities=["--y"])))
    assert "param" in vars(click_errors.MissingParameter()) and "param" in vars(click_errors.BadParameter("x"))


def test_an_ingest_run_loads_no_table_library(tmp_path):
    """pandas (and the workbook writers) cost an ingest run a third of its time and twice its memory."""
    from ihanoi_report.config import shipped_dir

    code = (
        "import json, sys\nfrom ihanoi_report.__main__ import main\n"
        f"try:\n    main(['ingest', {str(shipped_dir('samples') / 'round-1')!r}, '--workspace', {str(tmp_path)!r}, "
        "'--json'])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in ('pandas', 'openpyxl', 'xlsxwriter') if m in sys.modules)), "
        "file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []


def test_the_bench_imports_only_what_the_package_still_has():
    """bench/run.py is not run by the tests; a name it imports from the package that is gone would break it
    only when someone measures (it once imported config.dump_toml after it was removed)."""
    import importlib
    import importlib.util

    bench = Path(__file__).resolve().parents[1] / "bench" / "run.py"
    for node in ast.walk(ast.parse(bench.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ihanoi_report"):
            module = importlib.import_module(str(node.module))
            for alias in node.names:  # a name of the module, or a submodule of the package
                found = hasattr(module, alias.name) or importlib.util.find_spec(f"{node.module}.{alias.name}")
                assert found, f"{node.module}.{alias.name}"


def test_the_bench_makes_its_returns_with_the_package_as_it_is(tmp_path):
    """Its returned workbooks are made with the package's own calls (file names, columns): a few of them, read
    back by ingest's reader, so that a changed signature or a renamed column breaks here, not when measuring."""
    import importlib.util

    from ihanoi_report.config import load_campaign, shipped_dir
    from ihanoi_report.reader import read_form

    spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).resolve().parents[1] / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.write_registry(tmp_path, 5, 7, shipped_dir("templates") / "campaign.toml")
    inbox = bench.make_inbox(tmp_path, 3, 7)
    declared = load_campaign(tmp_path / "campaign.toml").declared
    forms = [read_form(path, path.read_bytes(), declared) for path in sorted(inbox.iterdir())]
    assert len(forms) == 3 and all(sub.rows[0].cells.get("staff_total") for sub in forms)
    for name in ("TEMPLATE_PLAIN", "SEED_STORE"):  # the bench's own loops, run by its python as they are
        exec(compile(getattr(bench, name), name, "exec"), {"OUT": str(tmp_path / "plain"), "WS": str(tmp_path),
                                                           "SEED": 7})
    assert len(list((tmp_path / "plain").iterdir())) == 5
    exec(compile(bench.CONSOLIDATE_PLAIN, "CONSOLIDATE_PLAIN", "exec"), {"OUT": str(tmp_path / "plain.xlsx"),
                                                                       "WS": str(tmp_path)})
    assert (tmp_path / "plain.xlsx").stat().st_size > 0
