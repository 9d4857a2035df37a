"""End to end in a real browser (Chromium from the system's packages, driven by Playwright; no browser build is
ever downloaded): a teacher drops a faulty class workbook, sees 谈心记录!C5, downloads the marked copy, fixes the
cell and submits; the office logs in, sees the class arrive, runs, and opens the figures. Each page is
photographed at a desktop's and a phone's width (WORKBOOK_ENGINE_SCREENSHOTS=docs writes them into docs/)."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.builders import ROOT, class_book
from workbook_engine.pipeline import run_inbox
from workbook_engine.publishing.index import find_term_report
from workbook_engine.writing.samples import make_class

CHROMIUM = os.environ.get("WORKBOOK_ENGINE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
PASSWORD = "jwc-2026-correct-horse"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="the server is stopped with SIGINT (POSIX)"),
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM} (.ci/run installs it)")]
playwright = pytest.importorskip("playwright.sync_api")


def faulty_class_book(path: Path) -> tuple[Path, str]:
    """四年级3班 (the class the sample school has not sent) as its head teacher keeps it: the optional 导师姓名
    column deleted from 谈心记录 (so 学号 is column C) and one 学号 mistyped in row 5 — and the right 学号."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = class_book(path.parent, make_class(1, 4, 3), path.name)
    wb = openpyxl.load_workbook(book)
    ws = wb["谈心记录"]
    ws.delete_cols(3)
    right = ws["C5"].value
    ws["C5"] = right[:-2] + "99"  # 2026040399: nobody on the roster
    wb.save(book)
    return book, right


class Server:
    """`workbook-engine serve` as the office starts it, on a free port."""

    def __init__(self, inbox: Path, out: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "WORKBOOK_ENGINE_OFFICE_PASSWORD": PASSWORD,
               "WORKBOOK_ENGINE_LANG": "zh"}
        self.proc = subprocess.Popen([sys.executable, "-m", "workbook_engine", "serve", str(inbox), "--out", str(out),
                                      "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     encoding="utf-8", env=env)
        self.lines = [self.proc.stdout.readline()]
        while self.lines[-1] and "Ctrl-C" not in self.lines[-1]:  # the addresses, then how to stop
            self.lines.append(self.proc.stdout.readline())
        found = re.search(r"http://127\.0\.0\.1:\d+", self.lines[0])
        assert found, self.lines
        self.base = found.group(0)

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGINT)
        rest, _ = self.proc.communicate(timeout=30)
        return "".join(self.lines) + rest


def shoot(page, name: str, folder: Path) -> None:
    page.screenshot(path=str(folder / f"web-{name}.png"), full_page=True)


def test_a_teacher_checks_fixes_and_submits_then_the_office_runs_and_reads_the_figures(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    shutil.copytree(ROOT / "sample_data", inbox)
    with open(inbox / "school.toml", "a", encoding="utf-8") as fh:
        fh.write("\n[limits]\nmax_file_mb = 1\n")  # (a small limit, to see a file over it refused at once)
    run_inbox(inbox, out, as_of=dt.date(2026, 11, 22))  # the office's run of last week: 四年级3班 missing
    book, right_id = faulty_class_book(tmp_path / "teacher" / "四年级3班.xlsx")
    shots = Path(os.environ.get("WORKBOOK_ENGINE_SCREENSHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    server = Server(inbox, out)
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            teacher = browser.new_context(viewport=DESKTOP, accept_downloads=True, locale="zh-CN")
            page = teacher.new_page()
            page.goto(server.base + "/")
            assert page.title().startswith("提交前自查")
            big = tmp_path / "扫描件.xlsx"
            big.write_bytes(b"\0" * 1_500_000)
            page.set_input_files("#file", str(big))  # over the limit: refused before it is sent, in the teacher's words
            assert "文件超过大小上限 1 MB" in page.inner_text("#too-large") and page.url == server.base + "/"
            shoot(page, "check", shots)

            # the teacher drops the faulty book onto the page: it is checked at once
            data = base64.b64encode(book.read_bytes()).decode()
            transfer = page.evaluate_handle(
                """([b64, name]) => { const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
                   const dt = new DataTransfer(); dt.items.add(new File([bytes], name)); return dt; }""",
                [data, book.name])
            page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})
            page.wait_for_selector("#result")
            where = page.locator("#problems td.where").all_inner_texts()
            assert "谈心记录!C5" in where
            assert "有错误：1 个错误" in page.inner_text("#verdict")
            shoot(page, "check-result", shots)

            with page.expect_download() as download:
                page.click("#annotated")
            marked = tmp_path / "marked.xlsx"
            download.value.save_as(marked)
            ws = openpyxl.load_workbook(marked)["谈心记录"]
            assert ws["C5"].fill.fgColor.rgb.endswith("FFC7CE") and "不在学生名册中" in ws["C5"].comment.text

            # fixed in Excel (the name typed), checked again and submitted
            wb = openpyxl.load_workbook(book)
            wb["谈心记录"]["C5"] = right_id
            wb.save(book)
            page.set_input_files("#file", str(book))
            page.wait_for_selector("#submit")
            assert "通过：0 个错误" in page.inner_text("#verdict")
            page.click("#submit")
            page.wait_for_selector("#receipt")
            assert "四年级3班.xlsx" in page.inner_text("#receipt")
            assert (inbox / "四年级3班.xlsx").read_bytes() == book.read_bytes()
            shoot(page, "receipt", shots)
            phone = browser.new_context(viewport=PHONE, locale="zh-CN")
            small = phone.new_page()
            small.goto(server.base + "/")
            small.set_input_files("#file", str(ROOT / "sample_data" / "四年级1班.xlsx"))
            small.wait_for_selector("#result")
            assert small.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways page
            shoot(small, "check-result-phone", shots)

            # the office logs in, sees the class arrive, runs, reads the figures
            office = browser.new_context(viewport=DESKTOP, accept_downloads=True, locale="zh-CN")
            page = office.new_page()
            page.goto(server.base + "/office")
            assert page.url.endswith("/office/login?next=/office")
            shoot(page, "login", shots)
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("#arrivals")
            assert "四年级3班" in page.inner_text("#arrivals") and "已收到，待运行" in page.inner_text("#missing")
            shoot(page, "office", shots)
            page.click("#run-button")
            page.locator("#run-state", has_text="运行完成").wait_for(timeout=120_000)  # (the page follows the run)
            assert "四年级3班" in page.inner_text("#classes") and "无" in page.inner_text("#arrivals")
            shoot(page, "office-after-run", shots)
            page.click("text=统计")
            page.wait_for_selector("#downloads")
            assert page.locator("svg.chart").count() == 3
            assert "四年级3班" in page.inner_text("#class-rates")
            shoot(page, "summary", shots)
            with page.expect_download() as download:
                page.click("#downloads a >> text=汇总")
            got = tmp_path / "summary.xlsx"
            download.value.save_as(got)
            report = json.loads(find_term_report(out).read_text(encoding="utf-8"))  # the newest term's
            recorded = {Path(o["path"]).name: o["sha256"] for o in report["outputs"]}
            assert hashlib.sha256(got.read_bytes()).hexdigest() == recorded[download.value.suggested_filename]

            page = phone.new_page()
            page.goto(server.base + "/office/login")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("#classes")
            shoot(page, "office-phone", shots)
            page.goto(server.base + "/office/summary")
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            shoot(page, "summary-phone", shots)
            browser.close()
    finally:
        said = server.stop()
    assert server.proc.returncode == 0 and "已停止" in said
