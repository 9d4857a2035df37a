"""The message catalogue, section A (issue 18, item 1): discovery, reading, settings, publishing, mail and the
console say everything in the language asked for. Every Han literal left in these modules' code is data the
reader parses or a file name, listed below with its reason; the rest is in workbook_engine/catalogue/__init__.py."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pytest

from tests.builders import TEMPLATE, edit
from tests.helpers.han import han_literals
from workbook_engine.cli import build_parser, main
from workbook_engine.mail import receipt_message, send_feedback
from workbook_engine.writing.samples import fill_template, make_class
from workbook_engine.settings import SETTINGS_TEMPLATE, SETTINGS_TEMPLATE_EN, Settings, load_settings
from workbook_engine.validation.validate import validate_file
from tests.helpers.terms import term_dir

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
AS_OF = "2026-10-20"

# Han literals that stay in code: (b) the data contract — what users type and the reader parses; names of the
# files and folders a run writes (stable across languages: send-feedback, the ledger and the office's own
# scripts find them by name). Each with its reason.
TERM_NAMES = {"第一学期", "第二学期"}  # the 学期 values workbooks hold (schema choice), parsed and matched
ALLOWED: dict[str, set[str]] = {
    "cli/__init__.py": set(), "reading/inbox.py": set(), "reading/gate.py": set(), "reading/reader.py": set(), "publishing/publish.py": set(), "execution.py": set(),
    "pipeline": set(), "cli/progress.py": set(), "reading/celltext.py": set(), "writing/privacy.py": set(), "cli/watch.py": set(),
    "settings": {
        # the default 重点关注类别 (seed 000 and 001): dropdown values teachers pick, matched by the validator
        "学习困难", "家庭贫困", "家庭优越", "思想波动", "心理障碍", "进城务工人员子女", "留守儿童", "行为偏差",
        "家庭教育环境不良", "心理有障碍", "学习有困难", "个性发展有特殊要求", "潜能难以充分发展", "家境贫寒",
        "行为不良", "心理封闭", "父母离异",
        *TERM_NAMES,  # [term] term's allowed values: as the workbooks write them
        "满意", "基本满意",  # satisfied_ratings: the 满意度 sheet's dropdown values
        "教育效果不明显", "其他",  # deduction_points: the 考核扣分 sheet's 类型 values
        "学校台账.sqlite",  # the ledger's default file name (an output file)
        "一年级", "二年级", "三年级", "四年级", "五年级", "六年级",  # [ledger] grades: the grade names classes carry
        r"^\s*(\d{4})\s*[-–—~至/]\s*(\d{4})",  # parses a typed 学年 ("2026至2027")
        "一", "二", "上", "下",  # parse a typed 学期 (第一学期, 上学期 …)
        SETTINGS_TEMPLATE,  # the commented school.toml: TOML keys with Chinese comments (a file, not a message)
        SETTINGS_TEMPLATE_EN,  # its English twin: the same keys and values (the values above), English comments
    },
    "writing/output.py": {
        *TERM_NAMES,  # output file names carry the term as workbooks write it
        "班级反馈", "导师手册",  # output folder names
        "学期未知",  # the folder of a run whose files and settings name no term
        "–—―－~～至/／",  # dashes a typed 学年 may hold (parsing)
        "未命名班级",  # the file name of a class whose name has no usable character
        "合并数据", "汇总", "导师分工明细表",  # output file names
    },
    "combining/combine.py": {"教务处"},  # the office an assessment workbook without 填报信息 is grouped under (its 填报单位)
    "validation/validate.py": {
        "项目", "内容",  # the 班级信息 template's own header cells, recognised when reading it
        "填表日期",  # the 班级信息 field's label in the file (the problem's column, as the file names it)
        "说明",  # the template's instruction sheet, read for its version line
        r"模板版本\s*[:：]?\s*v?(\d+(?:\.\d+)*)", "模板版本",  # the version line the templates write, parsed
    },
    "writing/annotate.py": {".批注.xlsx", ").批注.xlsx"},  # the annotated copy's file name (an output file)
    "mail/__init__.py": {"班主任"},  # the 角色 dropdown value that marks the head teacher in the mentor list
    "ledger/newterm.py": {
        "班级学情工作簿", "导师工作手册",  # the folders new-term writes (output folder names)
        "离岗", "转出", "休学",  # 状态 dropdown values read from the ledger
    },
    "ledger/store.py": {"休学", "转出"},  # 状态 dropdown values: a pairing ends when the student left
}


@pytest.mark.parametrize("module", sorted(ALLOWED))
def test_no_user_facing_chinese_left_in_code(module):
    left = {text for _, text in han_literals(module if module.endswith(".py") else f"{module}.py")}
    assert left - ALLOWED[module] == set()
    assert ALLOWED[module] - left == set()  # (the allow-list names only what is there)


# -- discovery: why a file was not read, in the run's language -----------------------------------------------
@pytest.fixture
def inbox(tmp_path) -> Path:
    """One class workbook, the lock file Excel leaves beside an open workbook, and a CSV export."""
    box = tmp_path / "inbox"
    box.mkdir()
    data = make_class(3, 7, 9, students=8, mentors=2, until=dt.date(2026, 10, 20))
    fill_template(TEMPLATE, data, box / "七年级9班.xlsx")
    (box / "~$七年级9班.xlsx").write_bytes(b"\x08owner  \x00" * 10)
    (box / "名单.csv").write_text("学号,姓名\n2026070901,卢语\n", encoding="utf-8")
    return box


def _skips(out: Path) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """(report.json's, the merged book's) {file: (status, reason)} of the files not accepted."""
    report = json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))
    in_report = {f["path"]: (f["status"], f["reason"]) for f in report["files"] if f["status"] != "accepted"}
    book = openpyxl.load_workbook(next(term_dir(out).glob("合并数据*.xlsx")), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] in ("File", "文件"))
    assert [rows[header][3], rows[header][4]] in (["Status", "Reason"], ["状态", "说明"])
    in_book = {r[0]: (r[3], r[4]) for r in rows[header + 1:] if r and r[0] in in_report}
    return in_report, in_book


def test_an_english_run_says_why_files_were_skipped_in_english(inbox, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--lang", "en", "run", str(inbox), "--out", str(out), "--as-of", AS_OF]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert "  - ~$七年级9班.xlsx: a lock file left by Excel/WPS" in printed
    assert "  - 名单.csv: not a spreadsheet" in printed
    in_report, in_book = _skips(out)
    assert in_report == {"~$七年级9班.xlsx": ("skipped", "a lock file left by Excel/WPS"),
                         "名单.csv": ("skipped", "not a spreadsheet")}
    assert in_book == {"~$七年级9班.xlsx": ("skipped", "a lock file left by Excel/WPS"),
                       "名单.csv": ("skipped", "not a spreadsheet")}
    assert openpyxl.load_workbook(next(term_dir(out).glob("合并数据*.xlsx")), read_only=True).sheetnames[0] == "Files"


def test_a_run_says_why_files_were_skipped_in_chinese_by_default(inbox, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("WORKBOOK_ENGINE_LANG", raising=False)
    out = tmp_path / "out"
    assert main(["run", str(inbox), "--out", str(out), "--as-of", AS_OF]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert "  - ~$七年级9班.xlsx：Excel/WPS 打开文件时留下的锁文件" in printed
    assert "  - 名单.csv：不是表格文件" in printed
    in_report, in_book = _skips(out)
    assert in_report == {"~$七年级9班.xlsx": ("skipped", "Excel/WPS 打开文件时留下的锁文件"),
                         "名单.csv": ("skipped", "不是表格文件")}  # (the status is report.json's code)
    assert in_book == {"~$七年级9班.xlsx": ("跳过", "Excel/WPS 打开文件时留下的锁文件"),
                       "名单.csv": ("跳过", "不是表格文件")}


def test_a_file_that_only_looks_like_a_workbook_is_rejected_in_english(inbox, tmp_path, capsys):
    (inbox / "名单.xlsx").write_text("学号,姓名\n2026070901,卢语\n", encoding="utf-8")  # a CSV renamed .xlsx
    assert main(["--lang", "en", "run", str(inbox), "--out", str(tmp_path / "out"), "--as-of", AS_OF]) == 1
    assert ("  ✗ 名单.xlsx: rejected (not a spreadsheet (it is a CSV/text file with a spreadsheet's name); please "
            "save it as .xlsx and send it again)") in capsys.readouterr().out.splitlines()


# -- school.toml: its errors in the command's language, with the line -----------------------------------------
def test_a_settings_error_names_its_line_in_english_and_in_chinese(inbox, tmp_path, capsys):
    toml = tmp_path / "school.toml"
    toml.write_text('[school]\nname = "x"\n\n[policy]\ntalk_frequency = "daily"\n[polcy]\nstrict = true\n',
                    encoding="utf-8")
    args = ["run", str(inbox), "--out", str(tmp_path / "out"), "--config", str(toml)]
    assert main([*args, "--lang", "en"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: {toml}: line 5, setting policy.talk_frequency: should be 'weekly' or 'semimonthly'",
        f"{toml}: line 6, setting polcy: not a known setting (check the spelling)"]
    assert main([*args, "--lang", "zh"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"错误：{toml}：第 5 行，设置项 policy.talk_frequency：应为 'weekly'、'semimonthly' 之一",
        f"{toml}：第 6 行，设置项 polcy：不是已知的设置项（请检查拼写）"]


def test_the_inbox_settings_file_is_explained_in_english_too(inbox, tmp_path, capsys):
    (inbox / "school.toml").write_text("[assign]\ngroups = 9\n\n[term]\nstart = 2026-09-01\nend = 2026-08-01\n",
                                       encoding="utf-8")
    assert main(["--lang", "en", "run", str(inbox), "--out", str(tmp_path / "out")]) == 2
    toml = inbox / "school.toml"
    assert capsys.readouterr().err.splitlines() == [
        f"error: {toml}: line 4, setting term: the end 2026-08-01 is before the start 2026-09-01",
        f"{toml}: line 2, setting assign.groups: should be at most 5"]


# -- exit code 3: the outputs cannot be written --------------------------------------------------------------
def test_outputs_that_cannot_be_written_are_explained_in_english(inbox, tmp_path, capsys):
    taken = tmp_path / "out"
    taken.write_text("a file where the output folder should be", encoding="utf-8")
    assert main(["--lang", "en", "run", str(inbox), "--out", str(taken)]) == 3
    assert capsys.readouterr().err == f"error: {taken} is a file, not a folder: choose an output folder\n"
    assert main(["run", str(inbox), "--out", str(taken), "--lang", "zh"]) == 3
    assert capsys.readouterr().err == f"错误：{taken} 是一个文件而不是文件夹：请指定一个输出目录\n"


# -- mail: a receipt in the sender's run language, failure reasons --------------------------------------------
def _pending(name: str) -> dict[str, str]:
    return {"id": "1", "file": name, "attachment": name, "to": "head79@example.edu.cn",
            "date": "2026-10-21T08:00:00+08:00", "message_id": "<m1@example.edu.cn>"}


def test_a_receipt_in_english(tmp_path):
    data = make_class(3, 7, 9, students=8, mentors=2, until=dt.date(2026, 10, 20))
    path = fill_template(TEMPLATE, data, tmp_path / "七年级9班.xlsx")
    # the sample class mixes levels in 5 communities: 5 warnings (community-level-mix, 学生名册 E2…E6), no error
    msg, outcome = receipt_message(validate_file(path), _pending(path.name), Settings(), "en")
    assert outcome == "accepted"
    assert msg["Subject"] == "Receipt: 七年级9班.xlsx received and accepted (5 warnings)"
    body = msg.get_body().get_content().splitlines()
    assert body[:4] == ["Hello,", "", "We received 七年级9班.xlsx (class workbook, 七年级9班), sent on 2026-10-21.",
                        "It passed the checks, with 5 warnings (the file is still used), listed below; the attached "
                        "copy marks them (yellow cells with comments)."]
    assert body[5] == "Problems:" and body[6].startswith("1. [warning] 学生名册 E2: ")
    assert body[-2:] == ["Academic office", "(sent automatically)"]

    edit(path, lambda wb: wb["谈心记录"].cell(2, 1, "not a date"))  # one more: an error (invalid-date)
    msg, outcome = receipt_message(validate_file(path), _pending(path.name), Settings(), "en")
    assert outcome == "problems"
    assert msg["Subject"] == "Receipt: 七年级9班.xlsx has 1 errors; please correct and send it again"
    body = msg.get_body().get_content().splitlines()
    assert body[3].startswith("We found 1 errors and 5 warnings. Rows with errors (or the whole file, when a "
                              "required sheet is missing) are not used: please correct them, update 填表日期 and")

    msg, _ = receipt_message(validate_file(path), _pending(path.name), Settings(), "zh")
    assert msg["Subject"] == "回执：《七年级9班.xlsx》有 1 个错误，请修改后重新发送"
    assert msg.get_body().get_content().splitlines()[:3] == [
        "您好：", "", "已收到您于 2026-10-21 发来的《七年级9班.xlsx》（班级学情工作簿，七年级9班）。"]


def test_send_feedback_says_why_a_class_was_not_sent_in_english(inbox, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(inbox), "--out", str(out), "--as-of", AS_OF]) == 0
    # the school's settings give the class a recipient that is no address: that class is not sent, and says why
    settings = Settings.model_validate({"mail": {"recipients": {"七年级9班": "head teacher"}}})
    result = send_feedback(out, settings, dry_run=tmp_path / "eml", lang="en")
    assert result.failed == {"七年级9班": "the recipient 'head teacher' is not one valid address: correct the "
                                         "mentor list's e-mail column"}
    result = send_feedback(out, settings, dry_run=tmp_path / "eml", lang="zh")
    assert result.failed == {"七年级9班": "收件人邮箱“head teacher”不是一个有效地址，请在导师名单的邮箱列中改正"}


# -- the command line itself ---------------------------------------------------------------------------------
def test_help_speaks_the_language_asked_for(capsys):
    assert main(["--lang", "en", "run", "--help"]) == 0
    text = capsys.readouterr().out
    assert "Read every workbook in the inbox: validate, pick each class's newest version" in text
    assert not HAN.search(text.replace("导师手册", ""))  # (the handbooks' folder is a file name)
    assert main(["run", "--help", "--lang", "zh"]) == 0
    assert "读取收件目录中的全部工作簿" in capsys.readouterr().out
    assert "Write the class workbook" in build_parser("en").format_help() + build_parser("en")._subparsers \
        ._group_actions[0].choices["templates"].format_help()  # noqa: SLF001


def test_english_templates_write_a_school_toml_explained_in_english(tmp_path, capsys):
    assert main(["templates", str(tmp_path), "--lang", "en"]) == 0
    text = (tmp_path / "school.toml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# school.toml — the school's settings for workbook-engine (mentor system)"
    assert 'strict = false                        # true: any error rejects the whole file; false: only the rows ' \
           'with errors' in text.splitlines()
    # the same settings as the Chinese file: only the comments differ
    assert load_settings(tmp_path / "school.toml").model_dump() == Settings().model_dump()
    assert main(["templates", str(tmp_path / "zh"), "--lang", "zh"]) == 0
    assert (tmp_path / "zh" / "school.toml").read_text(encoding="utf-8") == SETTINGS_TEMPLATE


def test_new_term_in_english(inbox, tmp_path, capsys):
    out, to = tmp_path / "out", tmp_path / "next"
    assert main(["run", str(inbox), "--out", str(out), "--as-of", AS_OF]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "new-term", str(out), "--to", str(to)]) == 0
    # one class in the ledger (七年级9班, 2026-2027 第一学期), its 2 mentors each with mentees: 1 + 2 books
    assert capsys.readouterr().out.splitlines()[0] == \
        f"2026-2027 Term 2: 1 class workbooks and 2 mentor workbooks from 2026-2027 Term 1 → {to}"
    book = openpyxl.load_workbook(to / "班级学情工作簿" / "七年级9班.xlsx")
    assert book.sheetnames[:2] == ["Instructions", "班级信息"]  # (the sheets the validator reads keep their names)


def test_new_term_errors_in_english(tmp_path, capsys):
    empty = tmp_path / "out"
    empty.mkdir()
    assert main(["--lang", "en", "new-term", str(empty), "--to", str(tmp_path / "next")]) == 2
    assert capsys.readouterr().err == f"error: no ledger at {empty / '学校台账.sqlite'}: run this output folder first\n"
    assert main(["new-term", str(tmp_path / "nowhere"), "--to", str(tmp_path / "next"), "--lang", "en"]) == 2
    assert capsys.readouterr().err == f"no such folder: {tmp_path / 'nowhere'}\n"
