"""Write samples/ung-dung/: the two tables the iHanoi administration exports per unit, for the ranking
([[ranking.inputs]] of campaign.toml): citizens' feedback handled and news posted, for 5/7 - 10/9/2024.

Deterministic (seeded). The tables are written with XlsxWriter in the layout an export has (a title, a header,
one row per unit, a total), then opened and saved by a real headless LibreOffice. Two rows are planted: a unit
misspelled ("Phòng Tài nguyên Môi trường", without "và") and a unit left out (Hội Cựu chiến binh huyện).
samples/ung-dung/EXPECTED.json records each unit's figures and the planted rows: the tests' oracle.

Run from the repository root:  python scripts/make_app_exports.py   (needs soffice)
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import xlsxwriter

from ihanoi_report.config import load_campaign, shipped_dir
from ihanoi_report.units import load_registry

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "samples" / "ung-dung"
SEED = 20240910
LEFT_OUT = "DT-CCB"
MISSPELLED = {"PB-TNMT": "Phòng Tài nguyên Môi trường"}
FEEDBACK = ("STT", "Đơn vị", "Tổng số PAKN tiếp nhận", "Đã xử lý", "Đúng hạn", "Quá hạn")
NEWS = ("STT", "Đơn vị", "Số tin đã đăng")


def _write(path: Path, title: str, header: tuple[str, ...], rows: list[list[object]]) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Thống kê")
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, title, bold)
    sheet.write(1, 0, "Kỳ thống kê: 05/07/2024 - 10/09/2024")
    sheet.write_row(3, 0, header, bold)
    for r, row in enumerate(rows, start=4):
        sheet.write_row(r, 0, row)
    totals = ["", "Tổng cộng", *(sum(int(row[c]) for row in rows) for c in range(2, len(header)))]  # type: ignore[call-overload]
    sheet.write_row(4 + len(rows), 0, totals, bold)
    sheet.set_column(1, 1, 45)
    sheet.set_column(2, len(header), 16)
    book.close()


def main() -> None:
    if shutil.which("soffice") is None:
        raise SystemExit("needs LibreOffice (soffice)")
    campaign = load_campaign(shipped_dir("templates") / "campaign.toml")
    registry = load_registry(shipped_dir("templates") / "units.csv", campaign.groups)
    rng = random.Random(SEED)
    feedback: list[list[object]] = []
    news: list[list[object]] = []
    expected: dict[str, dict[str, int]] = {}
    for unit in registry.reporting_units():
        if unit.code == LEFT_OUT:
            continue
        received = rng.randint(8, 45) if unit.has_residents else rng.choice([0, 1, 2, 3, 5, 8])
        handled = received - (rng.randint(0, 2) if received > 2 else 0)
        on_time = handled - (rng.randint(0, 3) if handled > 3 else 0)
        posted = rng.randint(6, 30)
        name = MISSPELLED.get(unit.code, unit.name)
        feedback.append([len(feedback) + 1, name, received, handled, on_time, received - on_time])
        news.append([len(news) + 1, name, posted])
        if unit.code not in MISSPELLED:
            expected[unit.code] = {"received": received, "handled": handled, "on_time": on_time,
                                   "overdue": received - on_time, "posted": posted}
    with tempfile.TemporaryDirectory() as folder:
        typed = Path(folder)
        _write(typed / "thong-ke-pakn.xlsx", "THỐNG KÊ TIẾP NHẬN, XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ QUA ỨNG DỤNG iHANOI",
               FEEDBACK, feedback)
        _write(typed / "thong-ke-tin-bai.xlsx", "THỐNG KÊ TIN ĐĂNG TRÊN CHUYÊN MỤC TRUYỀN THÔNG, CẢNH BÁO", NEWS, news)
        OUT.mkdir(parents=True, exist_ok=True)
        profile = Path(tempfile.gettempdir()) / f"exports-lo-{uuid.uuid4().hex}"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                        "xlsx:Calc MS Excel 2007 XML", "--outdir", str(OUT), *map(str, sorted(typed.glob("*.xlsx")))],
                       check=True, capture_output=True, timeout=600)
        shutil.rmtree(profile, ignore_errors=True)
    oracle = {"left_out": [LEFT_OUT], "misspelled": dict(MISSPELLED), "units": expected}
    (OUT / "EXPECTED.json").write_text(json.dumps(oracle, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
