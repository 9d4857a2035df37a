"""`serve` through Flask's test client: the teachers' self-check (good, faulty and hostile uploads), the office's
password, session cookie and CSRF rules, class isolation, the run button, the board, the figures and the
downloads. The real server (waitress) and a real browser: tests/web/test_web_server.py, tests/web/test_web_browser.py."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.builders import ROOT, class_book, sha256
from workbook_engine.cli import main
from workbook_engine.execution import SerialExecutor
from workbook_engine.publishing.publish import locked
from workbook_engine.reading.inbox import resolve_settings
from workbook_engine.web.app import create_app
from workbook_engine.web.published import published_set
from workbook_engine.writing.samples import make_class

SAMPLE = ROOT / "sample_data"
AS_OF = dt.date(2026, 11, 22)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
PASSWORD = "jwc-2026-correct-horse"


@pytest.fixture
def school(tmp_path) -> tuple[Path, Path]:
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE, inbox)
    return inbox, tmp_path / "out"


def make_app(inbox: Path, out: Path, lang: str = "zh", **web):
    settings = resolve_settings(inbox, None)
    settings = settings.model_copy(update={"web": settings.web.model_copy(update=web)})
    return create_app(inbox, out, settings, lang=lang, as_of=AS_OF, executor=SerialExecutor())


def client(app, address: str = "127.0.0.1"):
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = address
    return c


def token_of(c) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get("/").text).group(1)


def upload(c, data: bytes, name: str, csrf: str | None = None):
    return c.post("/check", data={"csrf": token_of(c) if csrf is None else csrf, "file": (io.BytesIO(data), name)},
                  content_type="multipart/form-data")


def check_page(c, data: bytes, name: str):
    r = upload(c, data, name)
    assert r.status_code == 303, r.text
    return r.headers["Location"], c.get(r.headers["Location"])


def cells(page) -> list[str]:
    return re.findall(r'class="where">([^<]+)<', page.text)


def inbox_state(inbox: Path) -> dict[str, str]:
    return {p.name: sha256(p) for p in sorted(inbox.iterdir())}


def report_of(out: Path) -> dict:
    """The newest term's report.json (the one place these tests find a term's outputs)."""
    from workbook_engine.publishing.index import find_term_report

    return json.loads(find_term_report(out).read_text(encoding="utf-8"))


def login(c, password: str = PASSWORD):
    return c.post("/office/login", data={"csrf": token_of(c), "password": password})


# -- the teachers' self-check ------------------------------------------------------------------------------
def test_a_class_book_is_checked_cell_by_cell_and_nothing_is_kept_until_submitted(school):
    inbox, out = school
    before = inbox_state(inbox)
    c = client(make_app(inbox, out))
    data = (SAMPLE / "四年级1班.xlsx").read_bytes()
    where, page = check_page(c, data, "四年级1班.xlsx")
    assert cells(page) == ["学生名册!F9", "谈心记录!A5", "谈心记录!D6", "谈心记录!F7"]  # the sample's four mistakes
    assert "有错误：4 个错误，0 个警告" in page.text and "学号 20260499 不在学生名册中" in page.text
    assert inbox_state(inbox) == before  # checked, not kept
    marked = c.get(where + "/annotated")
    assert marked.status_code == 200 and "attachment" in marked.headers["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(marked.data))["谈心记录"]
    assert ws["F7"].fill.fgColor.rgb.endswith("FFC7CE") and "聊天" in ws["F7"].comment.text
    r = c.post(where + "/submit", data={"csrf": token_of(c)})
    assert r.status_code == 303
    page = c.get(where)
    # 四年级1班.xlsx is in INBOX already: the submission takes the next free name, as a mail attachment would
    assert "已保存为“四年级1班(2).xlsx”" in page.text
    assert (inbox / "四年级1班(2).xlsx").read_bytes() == data
    assert set(inbox_state(inbox)) - set(before) == {"四年级1班(2).xlsx"}
    log = json.loads((out / ".workbook-engine-web" / "submissions.json").read_text(encoding="utf-8"))
    assert [(s["file"], s["class"], s["errors"]) for s in log["submissions"]] == [("四年级1班(2).xlsx", "四年级1班", 4)]
    c.post(where + "/submit", data={"csrf": token_of(c)})  # pressed twice: one file
    assert len(list(inbox.glob("四年级1班*"))) == 2


def test_a_check_runs_in_a_worker_process_however_children_start(school, start_method):
    inbox, out = school
    app = create_app(inbox, out, resolve_settings(inbox, None))  # the server's own executor: a worker process
    c = client(app)
    where, page = check_page(c, (SAMPLE / "四年级1班.xlsx").read_bytes(), "四年级1班.xlsx")
    assert cells(page) == ["学生名册!F9", "谈心记录!A5", "谈心记录!D6", "谈心记录!F7"]
    assert c.get(where + "/annotated").status_code == 200


def test_a_check_is_seen_by_its_uploader_alone(school):
    inbox, out = school
    app = make_app(inbox, out)
    teacher_a, teacher_b = client(app, "10.0.0.5"), client(app, "10.0.0.6")
    where, _ = check_page(teacher_a, (SAMPLE / "四年级1班.xlsx").read_bytes(), "四年级1班.xlsx")
    before = inbox_state(inbox)
    assert teacher_b.get(where).status_code == 404
    assert teacher_b.get(where + "/annotated").status_code == 404
    assert teacher_b.post(where + "/submit", data={"csrf": token_of(teacher_b)}).status_code == 404
    assert inbox_state(inbox) == before
    assert teacher_a.get(where).status_code == 200
    assert client(app).get("/check/" + "A" * 32).status_code == 404


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(300):  # 300 MB of zeros in about 300 KB
                part.write(b"0" * (1 << 20))
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_by_the_gate_and_cannot_be_submitted(school):
    inbox, out = school
    before = inbox_state(inbox)
    c = client(make_app(inbox, out))
    bomb = zip_bomb()
    assert len(bomb) < 2_000_000
    where, page = check_page(c, bomb, "炸弹.xlsx")
    assert "压缩炸弹" in page.text and 'id="submit"' not in page.text
    assert c.post(where + "/submit", data={"csrf": token_of(c)}).status_code == 409
    assert inbox_state(inbox) == before


def test_a_formula_laden_book_is_reported_and_its_marked_copy_holds_no_formula(school, class_file):
    inbox, out = school
    wb = openpyxl.load_workbook(class_file)
    wb["谈心记录"]["H2"] = '=HYPERLINK("http://evil.example/","点我")'
    wb["谈心记录"]["H3"] = "=cmd|' /C calc'!A0"
    wb["谈心记录"]["F4"] = "聊天"  # and one real mistake, so there is a marked copy
    wb.save(class_file)
    c = client(make_app(inbox, out))
    where, page = check_page(c, class_file.read_bytes(), class_file.name)
    assert {"谈心记录!H2", "谈心记录!H3", "谈心记录!F4"} <= set(cells(page))
    assert "公式没有计算结果" in page.text and "&lt;" not in page.text.split('id="problems"')[0][-200:]
    marked = openpyxl.load_workbook(io.BytesIO(c.get(where + "/annotated").data))
    assert not [cell.coordinate for ws in marked.worksheets for row in ws.iter_rows() for cell in row
                if cell.data_type == "f"]


@pytest.mark.parametrize("name, saved", [
    ("../../../etc/passwd.xlsx", "passwd.xlsx"),
    # Werkzeug 3.1.9 reads a backslash in the quoted file name as an escape (..\\..\\Windows\\x -> ....Windowsx),
    # 3.1.8 keeps it as a folder separator: either way the file lands in INBOX under a safe name of its own
    ("..\\..\\Windows\\七年级9班.xlsx", ("七年级9班.xlsx", "Windows七年级9班.xlsx")),
    ("school.toml", "school.toml.xlsx"),
    ("<script>alert(1)</script>.xlsx", "script_.xlsx"),
])
def test_a_hostile_name_is_made_safe_and_lands_in_the_inbox_itself(school, class_file, name, saved):
    inbox, out = school
    settings_before = (inbox / "school.toml").read_bytes()
    before = inbox_state(inbox)
    c = client(make_app(inbox, out))
    where, page = check_page(c, class_file.read_bytes(), name)
    assert "<script>" not in page.text  # never rendered as HTML
    if name == "school.toml":  # the inbox's rules: a settings file is not read, and never replaces the settings
        assert "学校设置文件" in page.text and 'id="submit"' not in page.text
        assert (inbox / "school.toml").read_bytes() == settings_before
        return
    assert c.post(where + "/submit", data={"csrf": token_of(c)}).status_code == 303
    landed = set(inbox_state(inbox)) - set(before)
    assert len(landed) == 1 and landed <= ({saved} if isinstance(saved, str) else set(saved))
    assert (inbox / landed.pop()).read_bytes() == class_file.read_bytes() and not (inbox.parent / "etc").exists()


def test_a_page_or_text_disguised_as_a_workbook_is_not_read(school):
    inbox, out = school
    c = client(make_app(inbox, out))
    _, page = check_page(c, b"<html><body><script>alert(1)</script></body></html>", "班级.xlsx")
    assert "<script>alert" not in page.text and 'id="submit"' not in page.text
    assert "HTML" in page.text


class Counting(io.RawIOBase):
    """A request body that says it is 300 MB and counts what the server reads of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = min(len(b), 1 << 16)
        b[:n] = b"0" * n
        self.read_bytes += n
        return n


def test_a_300_mb_upload_gets_413_without_being_read(school):
    inbox, out = school
    c = client(make_app(inbox, out))
    body = Counting()
    r = c.post("/check", content_type="multipart/form-data; boundary=x",
               environ_overrides={"wsgi.input": body, "CONTENT_LENGTH": "300000000"})
    assert r.status_code == 413 and "文件超过大小上限 50 MB" in r.text
    assert body.read_bytes == 0
    assert c.get("/").status_code == 200


def test_a_malformed_multipart_body_gets_400(school):
    inbox, out = school
    c = client(make_app(inbox, out))
    csrf = token_of(c)
    for body in (b"--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf.encode() + b"\r\n--x\r\n"
                 b"Content-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\nPK\x03\x04garbage",
                 b"not multipart at all"):
        r = c.post("/check", data=body, content_type="multipart/form-data; boundary=x")
        assert r.status_code == 400 and "上传的内容不完整或格式有误" in r.text
    assert c.get("/").status_code == 200


def test_self_checks_are_rate_limited_per_address(school, class_file):
    inbox, out = school
    app = make_app(inbox, out, checks_per_hour=2)
    c = client(app, "10.0.0.7")
    data = class_file.read_bytes()
    assert [upload(c, data, "a.xlsx").status_code for _ in range(3)] == [303, 303, 429]
    assert "一小时内最多自查 2 次" in upload(c, data, "a.xlsx").text
    assert upload(client(app, "10.0.0.8"), data, "a.xlsx").status_code == 303


# -- the office: password, cookie, CSRF ------------------------------------------------------------------------
def test_the_office_needs_the_password_and_the_session_cookie_is_httponly_and_strict(school):
    inbox, out = school
    c = client(make_app(inbox, out, office_password=PASSWORD), "192.168.1.20")
    r = c.get("/office")
    assert r.status_code == 302 and r.headers["Location"].endswith("/office/login?next=/office")
    assert c.get("/office/summary").status_code == 302 and c.get("/office/run/status").status_code == 302
    r = login(c, "wrong")
    assert r.status_code == 401 and "密码不正确" in r.text
    r = login(c)
    assert r.status_code == 303
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert c.get("/office").status_code == 200
    c.post("/office/logout", data={"csrf": token_of(c)})
    assert c.get("/office").status_code == 302


def test_wrong_passwords_are_limited(school):
    inbox, out = school
    c = client(make_app(inbox, out, office_password=PASSWORD), "192.168.1.21")
    assert [login(c, "guess").status_code for _ in range(11)][-2:] == [401, 429]
    assert login(c).status_code == 429  # even the right one, for ten minutes


def test_every_form_needs_the_sessions_csrf_token(school, class_file):
    inbox, out = school
    app = make_app(inbox, out, office_password=PASSWORD)
    c, other = client(app), client(app)
    login(c)
    foreign = token_of(other)
    for csrf in ("", foreign):
        assert upload(c, class_file.read_bytes(), "a.xlsx", csrf=csrf).status_code == 403
        assert c.post("/office/run", data={"csrf": csrf}).status_code == 403
        assert c.post("/office/login", data={"csrf": csrf, "password": PASSWORD}).status_code == 403
        assert c.post("/office/logout", data={"csrf": csrf}).status_code == 403
    assert "页面已过期" in c.post("/office/run").text
    assert app.extensions["workbook_engine"]["job"].status()["state"] == "idle"


@pytest.mark.parametrize("address, code", [("127.0.0.1", 200), ("::1", 200), ("192.168.1.20", 403),
                                           ("10.1.2.3", 403)])
def test_without_a_password_the_office_opens_only_on_this_machine(school, address, code, monkeypatch):
    monkeypatch.delenv("WORKBOOK_ENGINE_OFFICE_PASSWORD", raising=False)
    inbox, out = school
    c = client(make_app(inbox, out), address)
    assert c.get("/office").status_code == code
    assert c.get("/office/summary").status_code in ((404,) if code == 200 else (403,))  # (nothing run yet)
    if code == 403:
        assert "WORKBOOK_ENGINE_OFFICE_PASSWORD" in c.get("/office").text
        assert c.get("/").status_code == 200  # the teachers' page is for everyone


def test_the_password_is_never_written_into_any_output(school, monkeypatch):
    inbox, out = school
    with open(inbox / "school.toml", "a", encoding="utf-8") as fh:
        fh.write(f'\n[web]\noffice_password = "{PASSWORD}"\n')
    monkeypatch.setenv("WORKBOOK_ENGINE_OFFICE_PASSWORD", "from-the-environment-2026")
    app = make_app(inbox, out)
    c = client(app, "192.168.1.30")
    assert login(c, PASSWORD).status_code == 401  # the environment's password wins
    assert login(c, "from-the-environment-2026").status_code == 303
    c.post("/office/run", data={"csrf": token_of(c)})
    job = app.extensions["workbook_engine"]["job"]
    job.join()
    assert job.status()["state"] == "done"
    report = report_of(out)
    assert report["settings"]["web"]["office_password"] == "***"
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert PASSWORD.encode() not in data and b"from-the-environment-2026" not in data, path


# -- the run button, the board, the figures, the downloads ------------------------------------------------------
def test_the_run_button_runs_one_at_a_time_and_shows_the_result(school):
    inbox, out = school
    app = make_app(inbox, out)
    c = client(app)
    job = app.extensions["workbook_engine"]["job"]
    with locked(out):  # a run from the console holds OUT: the page's run waits for it
        assert c.post("/office/run", data={"csrf": token_of(c)}).status_code == 303
        while job.status()["state"] != "waiting":
            job.join(0.05)
        assert not job.start()  # a second press starts nothing
        assert "另一个运行正在写入输出目录" in c.get("/office").text
    job.join()
    status = c.get("/office/run/status").get_json()
    assert (status["state"], status["exit_code"], status["files"]["accepted"], status["errors"]) == ("done", 1, 5, 4)
    assert "运行完成：采用 5 个文件，退回 0 个，4 个错误，17 个警告（退出码 1）" in c.get("/office").text


def run_now(app, c) -> None:
    c.post("/office/run", data={"csrf": token_of(c)})
    app.extensions["workbook_engine"]["job"].join()


def test_the_board_shows_who_has_sent_and_what_arrived_since(school):
    inbox, out = school
    app = make_app(inbox, out)
    c = client(app)
    run_now(app, c)
    board = c.get("/office").text
    classes = board.split('id="classes"')[1].split("</table>")[0]
    # 四年级2班 sent twice: its newest version, two versions; overdue students counted per class
    assert re.search(r"四年级2班</td><td>四年级2班\(补充修改\)\.xlsx</td><td>2026-11-20</td><td>[^<]+</td>\s*"
                     r"<td>2</td>", classes)
    report = report_of(out)
    overdue = len({o["student_id"] for o in report["overdue"] if o["class"] == "三年级1班"})
    assert re.search(rf"三年级1班</td>.*?<td>{overdue}</td></tr>", classes, re.S)
    assert "四年级3班" in board.split('id="missing"')[1] and "已收到，待运行" not in board
    assert "四年级1班.xlsx</td><td>4</td>" in board  # rejected rows: the file with errors
    book = class_book(inbox.parent, make_class(1, 4, 3), "四年级3班.xlsx")
    where, _ = check_page(c, book.read_bytes(), "四年级3班.xlsx")
    c.post(where + "/submit", data={"csrf": token_of(c)})
    board = c.get("/office").text
    arrivals = board.split('id="arrivals"')[1].split("</section>")[0]
    assert "四年级3班.xlsx" in arrivals and "<td>四年级3班</td><td>0</td>" in arrivals
    assert "已收到，待运行" in board.split('id="missing"')[1]
    run_now(app, c)
    board = c.get("/office").text
    assert "四年级3班</td>" in board.split('id="classes"')[1] and 'id="missing"' not in board  # nothing missing


def test_the_board_and_the_figures_name_each_assessment_part_and_who_sent_it(school):
    inbox, out = school
    app = make_app(inbox, out)
    c = client(app)
    run_now(app, c)
    assert "成绩：教务处" in c.get("/office").text.split('id="parts"')[1]
    (inbox / "学校考核数据.xlsx").unlink()  # the offices have sent nothing this time
    run_now(app, c)
    missing = c.get("/office").text.split('id="missing"')[1].split("</ul>")[0]
    assert "德育量化：未收到任何部门的数据" in missing and "成绩：未收到任何部门的数据" in missing
    assert "考核数据缺少的部分：4" in c.get("/office/summary").text


def test_the_figures_show_counts_and_charts_and_no_private_text(school):
    inbox, out = school
    app = make_app(inbox, out)
    c = client(app)
    assert c.get("/office/summary").status_code == 404  # nothing published yet
    run_now(app, c)
    page = c.get("/office/summary").text
    assert page.count('<svg class="chart"') == 3
    report = report_of(out)
    for cls in report["classes"]:
        assert f"<td>{cls['class']}</td><td>{cls['talk_rate']:.1%}</td><td>{cls['parent_rate']:.1%}</td>" in page
    assert "未交文件的班级：1" in page and "四年级3班" in page
    # no phone number (outside the download links' SHA-256s, whose hex digits may hold any run of digits)
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", re.sub(r"[0-9a-f]{64}", "", page))
    assert "了解近期学习状态" not in page and "与同学相处问题" not in page  # no talk summary
    links = re.findall(r'href="/office/files/([0-9a-f]{64})">([^<]+)<', page)
    assert {"2026-2027第一学期/" + name for _, name in links} == {o["path"] for o in report["outputs"]
                                                                 if o["path"].endswith(".xlsx")}


def test_downloads_come_only_from_the_recorded_outputs_unchanged(school):
    inbox, out = school
    app = make_app(inbox, out)
    c = client(app)
    run_now(app, c)
    report = report_of(out)
    summary = next(o for o in report["outputs"] if "/汇总" in o["path"])
    r = c.get(f"/office/files/{summary['sha256']}")
    assert r.status_code == 200 and hashlib.sha256(r.data).hexdigest() == summary["sha256"]
    stray = out / "私人.xlsx"
    shutil.copy(SAMPLE / "三年级1班.xlsx", stray)  # in OUT, but no output of the run
    assert c.get(f"/office/files/{sha256(stray)}").status_code == 404
    for rel in ("../inbox/school.toml", "..%2F..%2Fetc%2Fpasswd", "report.json"):
        assert c.get(f"/office/files/{rel}").status_code == 404
    feedback = out / next(o["path"] for o in report["outputs"] if "/班级反馈/" in o["path"])
    recorded = sha256(feedback)
    feedback.write_bytes(feedback.read_bytes() + b"changed")  # changed since the run: not handed out
    assert c.get(f"/office/files/{recorded}").status_code == 404


def english_labels(page: str) -> str:
    """A page without what users typed (class, file and teachers' names in table cells, lists and charts)."""
    return re.sub(r"<td[^>]*>[^<]*</td>|<li>[^<]*(?=</li>|<br>|<span)|<span class=\"small\">[^<]*</span>|"
                  r"<text[^>]*>[^<]*</text>|<title>[^<]*</title>|>[^<>]*\.xlsx<|<h2>[^<]*</h2>", "", page)


def test_the_pages_speak_english_with_lang_en(school):
    inbox, out = school
    app = make_app(inbox, out, lang="en")
    c = client(app)
    _, check = check_page(c, (SAMPLE / "四年级1班.xlsx").read_bytes(), "grade4-class1.xlsx")
    assert "invalid: 4 errors, 0 warnings" in check.text and "student id 20260499 is not in the roster" in check.text
    run_now(app, c)
    pages = [c.get(p).text for p in ("/", "/office", "/office/summary", "/nowhere")]
    assert "Check your workbook before sending it" in pages[0] and "Figures for the principal" in pages[2]
    for page in pages:
        assert not HAN.search(english_labels(page)), HAN.findall(english_labels(page))


# -- the published set, the command ------------------------------------------------------------------------------
def test_the_published_set_is_the_newest_terms_folder(tmp_path):
    out = tmp_path / "out"
    for year, term, as_of in (("2026-2027", "第一学期", "2027-01-22"), ("2026-2027", "第二学期", "2027-05-10"),
                              ("2025-2026", "第二学期", "2026-07-01")):
        (out / f"{year}{term}").mkdir(parents=True)
        (out / f"{year}{term}" / "report.json").write_text(json.dumps(
            {"school_year": year, "term": term, "as_of": as_of, "files": [], "outputs": []}), encoding="utf-8")
    (out / "report.json").write_text(json.dumps({"kind": "terms", "terms": []}), encoding="utf-8")
    published = published_set(out)
    assert published.folder == out / "2026-2027第二学期" and published.report["as_of"] == "2027-05-10"
    assert published_set(tmp_path / "nothing") is None


def test_a_download_is_named_inside_its_terms_folder(school):
    inbox, out = school
    app = make_app(inbox, out)
    c = client(app)
    run_now(app, c)
    page = c.get("/office/summary").text
    assert ">汇总_2026-2027第一学期.xlsx<" in page and ">班级反馈/三年级1班.xlsx<" in page


def test_serve_refuses_an_out_inside_the_inbox_and_a_missing_inbox(school, capsys):
    inbox, _ = school
    assert main(["serve", str(inbox), "--out", str(inbox / "out")]) == 2
    assert main(["serve", str(inbox.parent / "nowhere"), "--out", str(inbox.parent / "out")]) == 2
    assert "找不到收件目录" in capsys.readouterr().err


def test_serve_help_names_the_office_page(capsys):
    assert main(["serve", "--help"]) == 0
    text = capsys.readouterr().out
    assert "/office" in text and "--host" in text and "--port" in text


def test_the_page_templates_hold_no_words_outside_the_catalogue():
    """Every word a page shows comes from the catalogue (messages.py): the templates' own text, once tags, Jinja
    expressions, the script and the style are taken away, is punctuation at most."""
    folder = ROOT / "workbook_engine" / "web" / "templates"
    for path in folder.glob("*.html"):
        text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|<[^>]*>|&[a-z]+;", " ", path.read_text(encoding="utf-8"), flags=re.S)
        assert not re.findall(r"[^\W\d_]", text), (path.name, re.findall(r"[^\W\d_]+", text))
    for path in (ROOT / "workbook_engine" / "web" / "static").iterdir():
        assert not HAN.search(path.read_text(encoding="utf-8")), path.name


def test_a_taken_port_is_a_usage_error_naming_it(school, capsys):
    import socket

    inbox, out = school
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", str(inbox), "--out", str(out), "--port", str(port)]) == 2
    assert f"无法在 127.0.0.1:{port} 上提供网页" in capsys.readouterr().err


def test_serving_the_school_network_lists_this_machines_addresses():
    from workbook_engine.web.server import addresses

    assert addresses("127.0.0.1") == ["127.0.0.1"]
    found = addresses("0.0.0.0")
    assert found and all(re.fullmatch(r"\d+\.\d+\.\d+\.\d+", a) for a in found)
    assert found == ["127.0.0.1"] or not any(a.startswith("127.") for a in found)
