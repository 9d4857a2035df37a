"""Fixtures of the assessment tests: a term of school work (学校工作记录, 校级领导包靠) over two 三年级 classes."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from tests.builders import class_book
from workbook_engine.writing.samples import make_class, school_toml, write_assessment

AS_OF = dt.date(2026, 12, 10)  # the as-of date of the runs over `school`


def _talk(student, day, escalate="否", follow_up=None):
    return {"date": day, "teacher_id": student["mentor_id"], "teacher_name": student["mentor_name"],
            "student_id": student["student_id"], "student_name": student["name"], "form": "面谈",
            "topic": "思想引导", "summary": "谈近况", "follow_up": follow_up, "escalate": escalate}


@pytest.fixture
def school(tmp_path):
    """三年级1班 (students a0-a3) and 三年级2班 (b0-b3), two subject mentors each.
    Special attention: a0, a1 (三年级1班) and b2 (三年级2班).
    需学校关注 talks: a0 on 10-12 (a later talk on 10-20 with 后续措施 closes it), a0 again on 11-16 and 11-23
    (open); a1 on 11-02 (the 12-04 meeting names a1: closed); a2 on 11-30 with 后续措施 on the flagged talk itself
    (still open: only a *later* talk closes); b0 on 10-28 (the 11-06 meeting names b0: closed)."""
    box = tmp_path / "inbox"
    box.mkdir()
    one = make_class(41, 3, 1, students=4, mentors=2, until=AS_OF)
    two = make_class(42, 3, 2, students=4, mentors=2, until=AS_OF)
    one.class_name, two.class_name, one.grade, two.grade = "三年级1班", "三年级2班", "三年级", "三年级"
    a, b = one.sheets["students"], two.sheets["students"]
    for cls, focus in ((one, {0: ["学习困难"], 1: ["留守儿童"]}), (two, {2: ["家庭贫困"]})):
        for i, s in enumerate(cls.sheets["students"]):
            s["attention"] = focus.get(i, [])
            s["note"] = None
        for t in cls.sheets["talks"]:
            t["escalate"], t["follow_up"] = "否", None
    one.sheets["talks"] += [_talk(a[0], dt.date(2026, 10, 12), "是"), _talk(a[0], dt.date(2026, 10, 20), follow_up="约家长面谈"),
                            _talk(a[0], dt.date(2026, 11, 16), "是"), _talk(a[0], dt.date(2026, 11, 23), "是"),
                            _talk(a[1], dt.date(2026, 11, 2), "是"),
                            _talk(a[2], dt.date(2026, 11, 30), "是", follow_up="已报教务处")]
    two.sheets["talks"].append(_talk(b[0], dt.date(2026, 10, 28), "是"))
    class_book(box, one, "三年级1班.xlsx")
    class_book(box, two, "三年级2班.xlsx")

    book = write_assessment([one, two], box / "学校考核数据.xlsx")
    wb = openpyxl.load_workbook(book)
    leaders = wb["校级领导包靠"]
    leaders.delete_rows(2, leaders.max_row)
    for row in (["周校长", "三年级1班", a[0]["student_id"]],  # row 2: a0 led
                ["吴副校长", "三年级2班", None],  # row 3: the whole of 三年级2班 (b2 led)
                ["周校长", "三年级1班", b[1]["student_id"]],  # row 4: b1 is in 三年级2班 → warned
                ["周校长", "三年级9班", None],  # row 5: no such class → warned
                ["周校长", "三年级1班", "20269999"]):  # row 6: no such student → warned
        leaders.append(row)
    work = wb["学校工作记录"]
    for row in ([dt.date(2026, 9, 25), "专题会议", "高校长", "行政班子", "逐班排查",
                 f"{a[0]['student_id']}、{a[1]['student_id']}"],  # row 2
                [dt.date(2026, 10, 16), "导师培训", "迟副校长", "全体导师", "谈心技巧", None],  # row 3
                [dt.date(2026, 10, 23), "经验交流", "迟副校长", "导师代表", "家访经验", None],  # row 4
                # row 5: a name is not a 学号 (ignored); 29999999 is on no roster (warned at F5)
                [dt.date(2026, 11, 6), "专题会议", "高校长", "行政班子", "研究转化", f"{b[0]['student_id']}, 张三, 29999999"],
                [dt.date(2026, 12, 4), "专题会议", "高校长", "行政班子", "研究转化", int(a[1]["student_id"])]):  # row 6
        work.append(row)
    wb.save(book)
    (box / "school.toml").write_text(school_toml(["三年级1班", "三年级2班"]), encoding="utf-8")
    return box, a, b
