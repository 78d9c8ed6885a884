"""serve: the page renders the office's views (the figures of status --json and consolidate), only for the
browser holding the token, and takes uploads into the workspace only."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from starlette.testclient import TestClient

from ihanoi_report.config import shipped_dir
from ihanoi_report.web import uploads
from ihanoi_report.web.guard import Guard, cookie_name
from ihanoi_report.web.pages import Desk, make_app

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "t0ken-for-the-tests"
SAMPLES = shipped_dir("samples")


def _client(root: Path) -> TestClient:
    client = TestClient(Guard(make_app(Desk(root)), TOKEN, PORT), base_url=BASE, follow_redirects=False)
    opened = client.get(f"/?token={TOKEN}")
    assert opened.status_code == 303 and opened.headers["location"] == "/"  # the token leaves the address
    assert "HttpOnly" in opened.headers["set-cookie"] and "SameSite=Strict" in opened.headers["set-cookie"]
    return client


def _upload(client: TestClient, folder: Path, **fields: str) -> str:
    files = [("files", (path.name, path.read_bytes(), "application/octet-stream"))
             for path in sorted(folder.iterdir()) if path.is_file()]
    answer = client.post("/receive", files=files, data=fields, headers={"origin": BASE})
    assert answer.status_code == 303, answer.text
    return _followed(client, answer.headers["location"])


def _followed(client: TestClient, location: str) -> str:
    """The page of an ingest under way: its progress bar until the verdicts are in."""
    deadline = time.monotonic() + 300
    while True:
        page = client.get(location)
        assert page.status_code == 200, page.text
        if 'http-equiv="refresh"' not in page.text:
            return page.text
        assert '<progress id="progress"' in page.text
        assert time.monotonic() < deadline
        time.sleep(0.05)


def _cells(page: str, table_id: str) -> list[dict[str, str]]:
    """The rows of a page's table as {data-key: text}, read with the standard library's parser."""
    from html.parser import HTMLParser

    rows: list[dict[str, str]] = []

    class Cells(HTMLParser):
        inside, key = False, None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = dict(attrs)
            if tag == "table":
                self.inside = found.get("id") == table_id
            elif self.inside and tag == "tr" and "data-group" in found:
                rows.append({"group": found["data-group"] or ""})
            elif self.inside and tag == "td" and rows:
                self.key = found.get("data-key")

        def handle_data(self, data: str) -> None:
            if self.key and rows:
                rows[-1][self.key] = rows[-1].get(self.key, "") + data.strip()

        def handle_endtag(self, tag: str) -> None:
            if tag == "td":
                self.key = None
            elif tag == "table":
                self.inside = False

    Cells().feed(page)
    return rows


@pytest.fixture
def desk(workspace, run_cli):
    """A workspace that received rounds 1-3 of the samples through the page."""
    client = _client(workspace.root)
    for number in (1, 2, 3):
        _upload(client, SAMPLES / f"round-{number}", round=str(number))
    return client, workspace


def test_a_request_without_the_token_from_another_site_or_to_another_host_is_refused(workspace):
    client = TestClient(Guard(make_app(Desk(workspace.root)), TOKEN, PORT), base_url=BASE, follow_redirects=False)
    empty = _client(workspace.root).get("/").text
    assert 'id="first-steps"' in empty and "/documents?round=" in empty  # a new workspace: what to do first
    bare = client.get("/")
    assert bare.status_code == 403 and "ihanoi-report serve" in bare.text
    client.cookies.set(cookie_name(PORT), "guess")
    assert client.get("/").status_code == 403
    client.cookies.clear()
    assert client.get("/?token=guess").status_code == 403
    assert client.get(f"/?token={TOKEN}", headers={"host": f"evil.example:{PORT}"}).status_code == 403  # rebinding
    client = _client(workspace.root)
    assert client.get("/").status_code == 200
    assert client.get("/static/desk.css").status_code == 200
    assert client.get("/", headers={"host": "evil.example"}).status_code == 403
    for headers in ({"origin": "http://evil.example"}, {}, {"referer": "http://evil.example/"}):  # CSRF
        answer = client.post("/close", data={"round": "1", "confirm": "yes"}, headers=headers)
        assert answer.status_code == 403, headers
    assert "Yêu cầu bị từ chối" in answer.text
    assert not (workspace.root / "ihanoi.sqlite").exists()  # nothing refused reached the office


def test_the_overview_shows_the_figures_of_status_json(desk, run_cli):
    client, _ = desk
    page = client.get("/?round=3").text
    code, out, _ = run_cli("status", "--round", "3", "--json")
    assert code == 0
    expected = json.loads(out)["groups"]
    shown = _cells(page, "standings")
    assert [row["group"] for row in shown] == [g["code"] for g in expected]
    from ihanoi_report.model import count_text, percent_text

    for row, group in zip(shown, expected, strict=True):
        dash = lambda v: "-" if v is None else str(count_text(v))  # noqa: E731
        assert row["reported"] == f"{count_text(group['units'] - group['missing'])} / {count_text(group['units'])}"
        assert (row["on_time"], row["late"], row["missing"]) == (dash(group["on_time"]), dash(group["late"]),
                                                                  dash(group["missing"]))
        assert row["sent_back"] == dash(group["sent_back"])
        assert row["reported_share"] == percent_text(group["reported_share"])
        assert row["on_time_share"] == ("-" if group["on_time_share"] is None else percent_text(group["on_time_share"]))
    assert sum(int(r["sent_back"]) for r in shown if r["sent_back"] != "-") >= 1  # round 3 sends files back
    assert page.count('src="/file/') >= 2  # the progress pictures
    assert f"Thư mục làm việc: {desk[1].root}" in page and "Dùng cấu hình mặc định" in page  # the folder said


def test_the_missing_page_gives_each_reminder_of_status_json(desk, run_cli):
    client, _ = desk
    page = client.get("/missing?round=3").text
    _, out, _ = run_cli("status", "--round", "3", "--json")
    reminders = json.loads(out)["reminders"]
    assert reminders
    from html import escape

    for reminder in reminders:
        assert f'data-unit="{reminder["code"]}"' in page
        assert escape(reminder["message"], quote=False) in page
    units = client.get("/units?round=3").text
    for unit in json.loads(out)["units"]:
        assert f'<tr data-unit="{unit["code"]}">' in units
        assert f'<span class="tag {unit["status"]}">' in units.split(f'<tr data-unit="{unit["code"]}">')[1][:600]


def test_received_files_show_their_verdicts_in_the_clerks_words(workspace):
    client = _client(workspace.root)
    page = _upload(client, SAMPLES / "round-3", round="3")
    assert 'data-verdict="rejected"' in page and 'data-verdict="accepted"' in page
    assert "bao-cao-bi-loi.xlsx" in page
    assert "Ô " in page  # a finding names its cell
    assert "/file/" in page and "_can-sua.xlsx" in page  # the copy for the clerk, to download
    copy = page.split('class="download" href="')[1].split('"')[0]
    got = client.get(copy)
    assert got.status_code == 200 and got.content[:2] == b"PK"
    kept = list((workspace.root / "trang" / "nhan").iterdir())
    assert len(kept) == 1 and {p.name for p in kept[0].iterdir()} == {
        p.name for p in (SAMPLES / "round-3").iterdir() if p.is_file()}
    again = _upload(client, SAMPLES / "round-3", round="3")  # the same files twice: already received
    assert 'data-verdict="already-received"' in again
    assert len(list((workspace.root / "trang" / "nhan").iterdir())) == 2  # each upload in its own folder


def test_a_zip_picked_on_the_page_brings_in_the_workbooks_it_holds(workspace, tmp_path):
    """The picker offers .zip (the page gives the blank forms in one): a unit's archive of returns is read."""
    import zipfile

    archive = tmp_path / "zip" / "bao-cao-cac-xa.zip"
    archive.parent.mkdir()
    forms = [p for p in sorted((SAMPLES / "round-1").iterdir()) if p.suffix == ".xlsx"][:3]
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as packed:
        for form in forms:
            packed.write(form, form.name)
    page = _upload(_client(workspace.root), archive.parent, round="1")
    assert page.count('data-verdict="accepted"') == len(forms)
    assert all(form.name in page for form in forms)


def test_an_upload_is_written_only_into_a_fresh_folder_of_the_workspace(workspace, tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "FILE_LIMIT", 64 * 1024)
    client = _client(workspace.root)
    form = next(p for p in sorted((SAMPLES / "round-1").iterdir()) if p.suffix == ".xlsx")
    big = b"PK" + b"\0" * (200 * 1024)
    files = [("files", ("../../../escape.xlsx", form.read_bytes(), "application/octet-stream")),
             ("files", ("C:\\Users\\x\\..\\win.xlsx", form.read_bytes(), "application/octet-stream")),
             ("files", ("huge.xlsx", big, "application/octet-stream"))]
    before = {p for p in tmp_path.rglob("*") if workspace.root not in p.parents and p != workspace.root}
    answer = client.post("/receive", files=files, data={"round": "1"}, headers={"origin": BASE})
    page = _followed(client, answer.headers["location"])
    after = {p for p in tmp_path.rglob("*") if workspace.root not in p.parents and p != workspace.root}
    assert after == before  # nothing outside the workspace
    folder = next((workspace.root / "trang" / "nhan").iterdir())
    assert sorted(p.name for p in folder.iterdir()) == ["escape.xlsx", "win.xlsx"]
    assert "huge.xlsx" in page and "64 KB" not in page and "MB" in page


def test_a_request_over_its_limit_is_refused_whole(workspace, monkeypatch):
    monkeypatch.setattr(uploads, "REQUEST_LIMIT", 100 * 1024)
    client = _client(workspace.root)
    files = [("files", (f"f{i}.xlsx", b"\0" * 60 * 1024, "application/octet-stream")) for i in range(3)]
    answer = client.post("/receive", files=files, headers={"origin": BASE})
    assert answer.status_code == 400 and "Gửi thành nhiều lần" in answer.text
    assert list((workspace.root / "trang" / "nhan").iterdir()) == []
    assert not (workspace.root / "ihanoi.sqlite").exists()


def test_no_file_chosen_is_said_so(workspace):
    client = _client(workspace.root)
    answer = client.post("/receive", files=[("files", ("", b"", "application/octet-stream"))],
                         headers={"origin": BASE})
    assert answer.status_code == 400 and "Chưa chọn tệp nào" in answer.text


def test_the_consolidated_workbook_of_the_page_is_the_commands(desk, run_cli, tmp_path):
    client, _ = desk
    page = client.post("/documents", data={"round": "3", "kind": "workbook"}, headers={"origin": BASE}).text
    link = page.split('class="download" href="')[1].split('"')[0]
    got = client.get(link)
    assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
    (tmp_path / "page.xlsx").write_bytes(got.content)
    code, _, _ = run_cli("consolidate", "--round", "3", "--out", str(tmp_path / "cli.xlsx"))
    assert code == 0

    def sheets(path: Path) -> dict[str, list[list[object]]]:
        book = CalamineWorkbook.from_path(str(path))
        return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}

    assert sheets(tmp_path / "page.xlsx") == sheets(tmp_path / "cli.xlsx")


def test_the_summary_pack_and_the_ranking_are_made_on_request(desk):
    client, workspace = desk
    page = client.post("/documents", data={"round": "3", "kind": "summary"}, headers={"origin": BASE}).text
    assert ".docx" in page and "tin-nhan-Zalo-lan-3.txt" in page and 'id="zalo"' in page
    again = client.post("/documents", data={"round": "3", "kind": "summary"}, headers={"origin": BASE})
    assert again.status_code == 200  # a fresh folder each time: never over the earlier pack
    assert len(list((workspace.root / "trang" / "tai-lieu").iterdir())) == 2
    page = client.post("/documents", data={"round": "3", "kind": "ranking"}, headers={"origin": BASE}).text
    assert "Xep-hang-thi-dua-den-lan-3.xlsx" in page
    page = client.post("/documents", data={"round": "3", "kind": "errors"}, headers={"origin": BASE}).text
    assert "Danh-sach-loi-lan-3.xlsx" in page and "_can-sua.xlsx" in page


def test_closing_asks_for_a_confirmation_then_holds_the_figures(desk, run_cli, filled_form, tmp_path):
    client, _ = desk
    unticked = client.post("/close", data={"round": "3", "action": "close"}, headers={"origin": BASE})
    assert unticked.status_code == 400 and "xác nhận" in unticked.text
    closed = client.post("/close", data={"round": "3", "action": "close", "confirm": "yes"}, headers={"origin": BASE})
    assert closed.status_code == 200 and "Đã chốt số liệu lần 3" in closed.text
    assert "Mã kiểm tra số liệu" in client.get("/close?round=3").text
    before = _cells(client.get("/?round=3").text, "standings")
    late = filled_form(tmp_path / "late" / "tong-bat.xlsx", "XA-09670", 3, report_date="22/8/2024")  # still missing
    received = _upload(client, late.parent, round="3")
    assert "tệp nhận sau khi chốt được lưu nhưng chưa được tính" in received
    assert _cells(client.get("/?round=3").text, "standings") == before  # held: the closing's figures
    unit_page = client.get("/unit/XA-09670").text  # the late file: kept, said not counted, never "in use"
    assert 'data-status="after-closure"' in unit_page and "Nhận sau khi chốt, chưa được tính" in unit_page
    assert 'data-status="accepted"' not in unit_page.split('data-round="3"')[1]
    reopened = client.post("/close", data={"round": "3", "action": "reopen", "confirm": "yes"},
                           headers={"origin": BASE})
    assert "Đã mở lại lần 3" in reopened.text
    assert "chưa chốt" in client.get("/close?round=3").text
    after = {row["group"]: row for row in _cells(client.get("/?round=3").text, "standings")}
    communes = {row["group"]: row for row in before}["xa"]
    assert int(after["xa"]["missing"]) == int(communes["missing"]) - 1  # the later file counts now
    assert 'data-status="accepted"' in client.get("/unit/XA-09670").text.split('data-round="3"')[1]


def test_one_unit_across_the_rounds(desk):
    client, workspace = desk
    from ihanoi_report.office import Office

    view = Office.open(workspace.root).unit_view("XA-09694")
    page = client.get("/unit/XA-09694").text
    assert "Xã Tản Lĩnh" in page
    for number in (1, 2, 3):
        for report in view.of_round(number):
            assert Path(report.path).name in page
    used = view.in_use(3)
    assert used is not None
    from ihanoi_report.model import count_text

    for key, value in view.figures(used).items():
        assert f'data-key="{key}">{"" if value is None else count_text(value)}</td>' in page
    # each column said whole, as a sentence names it: the form's "Tổng số" alone does not say whose total
    headers = re.findall(r'<th scope="col">([^<]*)</th>', page)
    assert {"Tổng số CBCCVC", "Số CBCCVC đã cài đặt iHanoi"} <= set(headers) and "Tổng số" not in headers
    assert client.get("/unit/NO-SUCH").status_code == 400
    original = client.get(f"/unit/XA-09694/original/{used.sha256}")  # the file in use, byte for byte
    sent = next(p for n in (1, 2, 3) for p in (SAMPLES / f"round-{n}").iterdir() if p.is_file()
                and __import__("hashlib").sha256(p.read_bytes()).hexdigest() == used.sha256)
    assert original.status_code == 200 and original.content == sent.read_bytes()
    assert "attachment" in original.headers["content-disposition"]
    assert client.get(f"/unit/XA-09694/original/{'0' * 64}").status_code == 404
    other = next(r for r in Office.open(workspace.root).unit_view("PB-VP").reports)
    assert client.get(f"/unit/XA-09694/original/{other.sha256}").status_code == 404  # another unit's file


def test_the_page_in_english(desk):
    from ihanoi_report import messages

    client, _ = desk
    messages.set_language("en")
    try:
        page = client.get("/?round=3").text
    finally:
        messages.set_language("vi")
    assert "Round 3 (due 20/8/2024): who has reported" in page and "Tổng quan" not in page


def _serve(root: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, "-m", "ihanoi_report", "serve", "--no-browser", "--port", "0",
                                "--workspace", str(root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "IHANOI_WIDTH": "200"})
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def test_serve_prints_its_address_first_and_stops_cleanly_on_ctrl_c(workspace):
    import http.client
    from urllib.parse import urlsplit

    process, address = _serve(workspace.root)
    try:
        parts = urlsplit(address)
        assert parts.hostname == "127.0.0.1" and parts.query.startswith("token=") and len(parts.query) > 30
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("GET", f"/?{parts.query}")
        answer = connection.getresponse()
        assert answer.status == 303 and "HttpOnly" in (answer.getheader("set-cookie") or "")
        answer.read()
        for path, headers in (("/", {}), ("/", {"Host": "evil.example"}),):
            connection.request("GET", path, headers=headers)
            refused = connection.getresponse()
            assert refused.status == 403
            refused.read()
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Đã dừng trang." in err and "Traceback" not in err


def test_serve_on_a_busy_port_says_so(workspace):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "ihanoi_report", "serve", "--no-browser", "--port", str(port),
                                 "--workspace", str(workspace.root)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and f"Không mở được cổng {port}" in result.stderr
    assert time.monotonic() - started < 30


def test_two_pages_on_one_workspace_record_each_file_once(workspace):
    """Two `serve` (or two tabs) receiving the same files at once: the store's locking, as for two ingests."""
    import threading

    clients = [_client(workspace.root), _client(workspace.root)]  # two desks: two servers
    pages: list[str] = []
    threads = [threading.Thread(target=lambda c=c: pages.append(_upload(c, SAMPLES / "round-2", round="2")))
               for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(pages) == 2
    names = [p.name for p in sorted((SAMPLES / "round-2").iterdir()) if p.suffix == ".xlsx"]
    for name in names:
        verdicts = [page.split(f'data-file="{name}" data-verdict="')[1].split('"')[0] for page in pages]
        assert sum(v != "already-received" for v in verdicts) == 1, (name, verdicts)  # recorded by one only


def test_the_page_needs_nothing_from_outside():
    """Offline by construction: every asset is in the package, no address of another host in any page."""
    import re

    folder = Path(__file__).parents[1] / "src" / "ihanoi_report" / "web"
    for path in [*(folder / "templates").iterdir(), *(folder / "static").iterdir()]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.I), path.name
        assert "@import" not in text and "url(" not in text, path.name


def test_the_blank_forms_come_in_one_zip_as_template_writes_them(workspace, run_cli, tmp_path):
    import io
    import zipfile

    client = _client(workspace.root)
    page = client.post("/documents", data={"round": "2", "kind": "forms", "group": "xa"},
                       headers={"origin": BASE}).text
    link = page.split('class="download" href="')[1].split('"')[0]
    archive = zipfile.ZipFile(io.BytesIO(client.get(link).content))
    code, _, _ = run_cli("template", "--round", "2", "--group", "xa", "--out", str(tmp_path / "cli"))
    assert code == 0
    assert sorted(archive.namelist()) == sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert "công văn số" in page  # the shipped form's blank to fill, said before the forms go out
    everyone = client.post("/documents", data={"round": "2", "kind": "forms"}, headers={"origin": BASE}).text
    link = everyone.split('class="download" href="')[1].split('"')[0]
    from ihanoi_report.office import Office

    office = Office.open(workspace.root)
    assert len(zipfile.ZipFile(io.BytesIO(client.get(link).content)).namelist()) == len(office.pick_units([], None))


def test_a_long_ingest_shows_its_progress_until_the_verdicts_are_in(workspace):
    from ihanoi_report.web.pages import Job

    desk = Desk(workspace.root)
    client = TestClient(Guard(make_app(desk), TOKEN, PORT), base_url=BASE)
    client.get(f"/?token={TOKEN}")
    job = Job()
    desk.jobs["under-way"] = job
    with job.progress(68) as advance:
        for _ in range(23):
            advance()
        page = client.get("/receive/under-way").text
    assert 'max="68" value="23"' in page and "Đã kiểm tra 23 / 68 tệp" in page and 'http-equiv="refresh"' in page
    assert client.get("/receive/no-such-job").status_code == 404


def test_the_page_serves_any_declared_campaign(workspace, run_cli):
    """The second shipped campaign (other columns, one target): its words and figures on every page."""
    from ihanoi_report.office import Office

    code, _, _ = run_cli("init", str(workspace.root), "--campaign", "binh-dan-hoc-vu-so")
    assert code == 0
    client = _client(workspace.root)
    samples = SAMPLES / "binh-dan-hoc-vu-so"
    for number in (1, 2):
        _upload(client, samples / f"round-{number}", round=str(number))
    office = Office.open(workspace.root)
    page = client.get("/?round=2").text
    assert office.campaign.short_name in page and "iHanoi" not in page
    _, out, _ = run_cli("status", "--round", "2", "--json")
    groups = json.loads(out)["groups"]
    assert [row["group"] for row in _cells(page, "standings")] == [g["code"] for g in groups]
    unit = next(u for u in office.registry.reporting_units())
    view = office.unit_view(unit.code)
    unit_page = client.get(f"/unit/{unit.code}").text
    for _, label in view.columns:  # the campaign's own column labels
        assert label in unit_page
    made = client.post("/documents", data={"round": "2", "kind": "summary"}, headers={"origin": BASE}).text
    assert "BDHVS" in made and ".docx" in made
