"""Each office sends only its own sheets, and the principal is told which assessment part no office sent and what
that does to the scores (《学情会商制度实施方案》 七、考核评价). Expected figures are computed by hand below."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from tests.builders import class_book
from tests.helpers.terms import term_dir
from workbook_engine.cli import main
from workbook_engine.pipeline import run_inbox
from workbook_engine.validation.validate import validate_file
from workbook_engine.writing.samples import make_class

UNTIL = dt.date(2026, 10, 20)
T = "070101"  # 七年级1班's one subject mentor: students 1–4, in communities 1, 2, 3, 4


def office_book(path: Path, office: str, sheets: dict[str, list[list]]) -> Path:
    """An office's own workbook as another program would write it: 填报信息 and only the sheets it keeps."""
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "填报信息"
    for row in (["项目", "内容"], ["学校", "青年路小学"], ["学年", "2026-2027"], ["学期", "第一学期"],
                ["填报部门", office], ["填表日期", dt.date(2026, 10, 18)]):
        info.append(row)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


GRADES = [["学号", "姓名", "班级", "上学期成绩", "本学期成绩"]] + [
    [f"202607010{i}", f"学生{i}", "七年级1班", 100 * i, 100 * i + 10] for i in (1, 2, 3, 4)]  # ranks unchanged
CONDUCT = [["班级", "共同体", "得分"], ["七年级1班", "1", 80], ["七年级1班", "2", 90], ["七年级1班", "3", 100],
           ["七年级1班", "4", 70]]


@pytest.fixture
def inbox(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    class_book(box, make_class(1, 7, 1, students=4, mentors=1, until=UNTIL), "七年级1班.xlsx")
    office_book(box / "教务处.xlsx", "教务处", {"成绩": GRADES})
    return box


def _report(out: Path) -> dict:
    return json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))


def _overview(out: Path) -> list[str]:
    """The summary's first sheet (概览 / Overview), its first column, found through report.json's outputs."""
    rel = next(o["path"] for o in _report(out)["outputs"] if Path(o["path"]).name.startswith("汇总"))
    ws = openpyxl.load_workbook(out / rel, read_only=True).worksheets[0]
    return [str(r[0]).strip() for r in ws.iter_rows(values_only=True) if r and r[0] is not None]


def test_an_office_file_with_only_its_own_sheet_is_a_submission_and_combines(inbox, tmp_path):
    conduct = office_book(inbox / "政教处.xlsx", "政教处", {"德育量化": CONDUCT})
    # alone, it is an assessment workbook of 政教处 with no problem (the sheets it does not carry are not missing)
    report = validate_file(conduct)
    assert report.kind == "assessment" and report.class_info["office"] == "政教处" and report.problems == []
    result = run_inbox(inbox, tmp_path / "out", as_of=UNTIL)
    files = {f["path"]: f for f in _report(result.out)["files"]}
    assert (files["政教处.xlsx"]["status"], files["政教处.xlsx"]["kind"]) == ("accepted", "assessment")
    assert files["政教处.xlsx"]["rows"] == {"德育量化": {"read": 4, "accepted": 4, "rejected": 0, "superseded": 0}}
    score = next(t for t in result.teachers if t["teacher_id"] == T)["score"]
    # by hand: grades from 教务处 — every rank unchanged, mean change 0 → tier ≥ 0 → 1; conduct from 政教处 — the
    # mentees' communities 80, 90, 100, 70 over the grade's best 100 → (0.8 + 0.9 + 1 + 0.7) / 4 = 0.85;
    # nobody voted → satisfaction not applicable; total (5 + 1 + 0.85) × 10 / (5 + 3 + 1) = 7.611… → 7.61
    assert (score["grades"], score["conduct"], score["satisfaction"], score["total"]) == (1.0, 0.85, None, 7.61)
    parts = {p["part"]: p for p in _report(result.out)["summary"]["assessment_parts"]}
    assert [(k, p["offices"], p["rows"], p["missing"]) for k, p in parts.items()] == [
        ("成绩", ["教务处"], 4, False), ("德育量化", ["政教处"], 4, False), ("满意度测评", [], 0, True),
        ("考核扣分", [], 0, True)]
    assert parts["满意度测评"]["effect"] == "满意度分不计" and parts["考核扣分"]["effect"] == "只按不满意票扣分"


@pytest.mark.parametrize("lang, line, sent", [
    ("zh", "德育量化：未收到任何部门的数据，德育分不计", "成绩：教务处"),
    ("en", "Conduct: no office sent any data; the conduct points are not counted", "Grades: sent by Academic office"),
])
def test_a_part_no_office_sent_is_named_with_what_it_does_to_the_scores(inbox, tmp_path, capsys, lang, line, sent):
    out = tmp_path / "out"
    assert main(["run", str(inbox), "--out", str(out), "--as-of", UNTIL.isoformat(), "--lang", lang]) == 0
    assert line in capsys.readouterr().out  # the console says it too
    parts = {p["part"]: p for p in _report(out)["summary"]["assessment_parts"]}
    assert parts["德育量化"]["missing"] and parts["德育量化"]["offices"] == []
    # 需要处理 / To act on: the count of missing parts (满意度测评, 德育量化, 考核扣分 = 3), then a line a part
    overview = _overview(out)
    label = "考核数据缺少的部分" if lang == "zh" else "Assessment parts missing"
    at = overview.index(label)
    assert line in overview[at + 1:at + 5] and sent in overview[at + 1:at + 5]
    wb = openpyxl.load_workbook(out / next(o["path"] for o in _report(out)["outputs"]
                                           if Path(o["path"]).name.startswith("汇总")), read_only=True)
    row = next(r for r in wb.worksheets[0].iter_rows(values_only=True) if r[0] == label)
    assert row[1] == 3
    # the score without conduct: (5 + grades 1) × 10 / (5 + 3) = 7.5
    score = next(t for t in _report(out)["teachers"] if t["teacher_id"] == T)["score"]
    assert (score["conduct"], score["total"]) == (None, 7.5)


def test_the_four_party_scheme_names_its_own_part(inbox, tmp_path):
    (inbox / "school.toml").write_text('[assessment]\nscheme = "four_party"\n', encoding="utf-8")
    result = run_inbox(inbox, tmp_path / "out", as_of=UNTIL)
    parts = _report(result.out)["summary"]["assessment_parts"]
    assert [(p["part"], p["missing"], p["effect"]) for p in parts] == [
        ("四方评议", True, "所有导师考核不完整，不计总分、不排名"), ("成绩", False, None),
        ("德育量化", True, "不推荐优秀学生发展共同体")]
