"""The page in a real browser (Debian's Chromium, driven by selenium): a whole round 3 from the page alone, and
the refusals a foreign site or a missing token meet. Screenshots of every page go to $IHANOI_SHOTS if set."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from python_calamine import CalamineWorkbook

from ihanoi_report.checks import SEVERITY
from ihanoi_report.config import shipped_dir
from ihanoi_report.model import Severity

pytestmark = pytest.mark.browser
SAMPLES = shipped_dir("samples")
WAIT = 120  # seconds: an ingest of 60 files on a slow CI machine


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "ws"
    root.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "ihanoi_report", "serve", "--no-browser", "--port", "0",
                                "--workspace", str(root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    address = process.stdout.readline().strip()
    try:
        yield address, root
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
        assert process.returncode == 0, err
        assert "Traceback" not in err, err


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    # as the machine's notes say: headless, no sandbox as root, and no calls to the network it cannot reach
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=vi-VN",
                 f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "chromedriver"), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


def _shot(driver: object, name: str) -> None:
    folder = os.environ.get("IHANOI_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))  # type: ignore[attr-defined]


def _wait(driver: object, css: str) -> object:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shown
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(shown.presence_of_element_located((By.CSS_SELECTOR, css)))


def _sheets(path: Path) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_a_whole_round_from_the_page_alone(served, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    address, root = served
    driver = browser
    driver.get(address)
    assert "Chưa nhận báo cáo nào" in driver.page_source and "token=" not in driver.current_url
    _shot(driver, "0-empty")

    driver.find_element(By.LINK_TEXT, "Nhận tệp").click()
    _wait(driver, "#files")
    samples = sorted(str(p) for p in (SAMPLES / "round-3").iterdir() if p.is_file())
    driver.find_element(By.ID, "files").send_keys("\n".join(samples))
    Select(driver.find_element(By.ID, "round")).select_by_value("3")
    assert driver.find_element(By.ID, "chosen").text == f"Đã chọn {len(samples)} tệp."
    _shot(driver, "1-receive")
    driver.find_element(By.ID, "send").send_keys(Keys.ENTER)  # the keyboard, as an officer may
    _wait(driver, "#verdicts")
    _shot(driver, "2-received")
    rejected = driver.find_elements(By.CSS_SELECTOR, "tr[data-verdict=rejected]")
    assert rejected, "round 3 sends files back"
    for row in rejected:  # each says why, in the clerk's words, with a copy to send back where it can be fixed
        assert row.find_elements(By.CSS_SELECTOR, "ul.findings li.error"), row.text
    planted = json.loads((SAMPLES / "EXPECTED.json").read_text(encoding="utf-8"))["files"]["3"]
    errors = {name: [c for c in plan["planted"] if SEVERITY.get(c) is Severity.ERROR] for name, plan in planted.items()}
    for name, codes in ((n, c) for n, c in errors.items() if c):  # the generator's plan, not a copied count
        row = driver.find_element(By.CSS_SELECTOR, f'tr[data-file="{name}"]')
        assert row.get_attribute("data-verdict") == "rejected", name
        for code in codes:
            assert row.find_elements(By.CSS_SELECTOR, f'li[data-code="{code}"]'), (name, code)
        assert row.find_element(By.CSS_SELECTOR, "a.download").get_attribute("href").endswith("_can-sua.xlsx")
    assert len(rejected) == sum(bool(c) for c in errors.values())

    driver.find_element(By.LINK_TEXT, "Tổng quan").click()
    _wait(driver, "#standings")
    pictures = driver.find_elements(By.CSS_SELECTOR, "section.pictures img")
    assert len(pictures) >= 2
    for picture in pictures:  # each drawn in its own proportions, never stretched to the height of the tallest
        driver.execute_script("arguments[0].scrollIntoView()", picture)
        deadline = time.monotonic() + WAIT
        while not driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", picture):
            assert time.monotonic() < deadline, picture.get_attribute("src")
            time.sleep(0.1)
        natural = driver.execute_script("return arguments[0].naturalHeight / arguments[0].naturalWidth", picture)
        assert picture.size["height"] / picture.size["width"] == pytest.approx(natural, rel=0.02)
    _shot(driver, "3-overview")
    driver.find_element(By.PARTIAL_LINK_TEXT, "Còn thiếu").click()
    _wait(driver, "#reminders")
    _shot(driver, "4-missing")

    driver.find_element(By.LINK_TEXT, "Tài liệu").click()
    driver.find_element(By.ID, "make-workbook").click()
    _wait(driver, "#made")
    _shot(driver, "5-documents")
    link = driver.find_element(By.CSS_SELECTOR, "#made a.download")
    name = link.text
    link.click()
    downloaded = driver.downloads / name
    deadline = time.monotonic() + WAIT
    while not downloaded.is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert downloaded.is_file(), list(driver.downloads.iterdir())
    cli = subprocess.run([sys.executable, "-m", "ihanoi_report", "consolidate", "--round", "3", "--out",
                          str(tmp_path / "cli.xlsx"), "--workspace", str(root)], capture_output=True, text=True,
                         timeout=300)
    assert cli.returncode == 0, cli.stderr
    assert _sheets(downloaded) == _sheets(tmp_path / "cli.xlsx")

    driver.find_element(By.LINK_TEXT, "Đơn vị").click()
    driver.find_element(By.CSS_SELECTOR, "tr[data-unit] a").click()
    _wait(driver, "section.round-of-unit")
    _shot(driver, "6-unit")

    driver.find_element(By.LINK_TEXT, "Chốt số liệu").click()
    _shot(driver, "7-close")
    driver.find_element(By.ID, "close").click()  # unticked: the browser itself asks for the confirmation
    assert driver.find_elements(By.ID, "done") == []
    driver.find_element(By.CSS_SELECTOR, "input[name=confirm]").click()
    driver.find_element(By.ID, "close").click()
    assert "Đã chốt số liệu lần 3" in _wait(driver, "#done").text
    _shot(driver, "8-closed")
    from ihanoi_report.office import Office

    assert [closure.round for closure, _ in Office.open(root).closed_rounds([3])] == [3]  # what `close` records


class _Foreign(http.server.BaseHTTPRequestHandler):
    """Another site open in the same browser: its page posts to the desk's address on its own."""

    target = ""

    def do_GET(self) -> None:
        body = (f'<form id="f" method="post" action="{self.target}/close"><input name="round" value="3">'
                '<input name="confirm" value="yes"><input name="action" value="close"></form>'
                '<script>document.getElementById("f").submit()</script>').encode()
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_no_token_a_foreign_site_or_a_foreign_host_is_refused(served, browser):
    address, root = served
    parts = urlsplit(address)
    base = f"{parts.scheme}://{parts.netloc}"
    driver = browser
    driver.get(base + "/")
    assert "ihanoi-report serve" in driver.page_source  # no token: the page says how to open it
    driver.get(address)  # the officer's own visit: the cookie is set
    assert "Chưa nhận báo cáo nào" in driver.page_source

    _Foreign.target = base
    foreign = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Foreign)
    threading.Thread(target=foreign.serve_forever, daemon=True).start()
    try:
        driver.get(f"http://127.0.0.1:{foreign.server_address[1]}/")
        deadline = time.monotonic() + 30
        while "Yêu cầu bị từ chối" not in driver.page_source and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "Yêu cầu bị từ chối" in driver.page_source
    finally:
        foreign.shutdown()
    assert not (root / "ihanoi.sqlite").exists()

    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", f"/?{parts.query}", headers={"Host": f"attacker.example:{parts.port}"})
    assert connection.getresponse().status == 403  # a DNS-rebinding page names its own host
