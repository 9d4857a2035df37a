"""Mail in the language asked for: a receipt to the sender, and why send-feedback did not send a class."""
from __future__ import annotations

import datetime as dt

from tests.builders import class_book, class_data, edit
from workbook_engine.cli import main
from workbook_engine.mail import receipt_message, send_feedback
from workbook_engine.settings import Settings
from workbook_engine.validation.validate import validate_file

AS_OF = "2026-10-20"


def _pending(name: str) -> dict[str, str]:
    return {"id": "1", "file": name, "attachment": name, "to": "head79@example.edu.cn",
            "date": "2026-10-21T08:00:00+08:00", "message_id": "<m1@example.edu.cn>"}


def test_a_receipt_in_english(tmp_path):
    data = class_data(3, 7, 9, students=8, mentors=2, until=dt.date(2026, 10, 20))
    path = class_book(tmp_path, data)
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
