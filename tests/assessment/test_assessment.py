"""Mentor scores under both schemes, recognition, the principal's summary and the class feedback books."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.builders import ROOT, class_book
from tests.helpers.terms import TERM1, term_dir
from workbook_engine.assessment.scoring import (
    percentile_changes,
    r2,
    recognition,
    satisfaction_points,
    score_teachers,
    tier,
)
from workbook_engine.files import safe_file_name
from workbook_engine.pipeline import run_inbox
from workbook_engine.settings import Settings
from workbook_engine.writing.books import GRID_STATES, grid_model
from workbook_engine.writing.samples import make_class, school_toml, write_assessment
from workbook_engine.writing.styles import COLOURS, STYLES
from workbook_engine.writing.summary import SUMMARY_SHEETS

C7 = "七年级1班"
GRADES = {C7: "七年级", "八年级1班": "八年级"}


def mentor(tid, cls=C7, mentees=2, status="on_track", talk_rate=1.0):
    return {"teacher_id": tid, "name": f"老师{tid}", "classes": [cls], "mentees": mentees, "status": status,
            "talk_rate": talk_rate, "parent_rate": 1.0}


def student(sid, tid, community, cls=C7):
    return {"student_id": sid, "name": f"学生{sid}", "class": cls, "mentor_id": tid, "community": community,
            "talk_periods_expected": 10, "talk_periods_met": 10, "attention": [], "escalated": False}


def votes(tid, satisfied, unsatisfied, basic=0):
    return ([{"student_id": "A", "teacher_id": tid, "rating": "满意"}] * satisfied
            + [{"student_id": "A", "teacher_id": tid, "rating": "基本满意"}] * basic
            + [{"student_id": "A", "teacher_id": tid, "rating": "不满意"}] * unsatisfied)


def school_data():
    """七年级: last term A 60, B 70, C 80, D 90 → percentiles 25, 50, 75, 100; this term A 90, B 70, C 80,
    D 60 → 100, 50, 75, 25. M1 mentors A and B (mean change +37.5 → 3 points), M2 mentors C and D (−37.5 → 0).
    八年级: E and F swap places (+50, −50): M3's mean change is exactly 0 → 1 point."""
    mentors = [mentor("M1"), mentor("M2"), mentor("M3", "八年级1班"), mentor("M4", "八年级1班", mentees=1),
               mentor("M0", mentees=0, status="no_mentees")]
    students = [student("A", "M1", "1"), student("B", "M1", "1"), student("C", "M2", "1"), student("D", "M2", "2"),
                student("E", "M3", "1", "八年级1班"), student("F", "M3", "1", "八年级1班"),
                student("G", "M4", "1", "八年级1班")]
    for s in students:
        s["class"] = s["class"]
    records = {
        "grades": [{"student_id": k, "name": k, "class_name": C7, "previous": p, "current": c}
                   for k, p, c in (("A", 60, 90), ("B", 70, 70), ("C", 80, 80), ("D", 90, 60))]
        + [{"student_id": "E", "name": "E", "class_name": "八年级1班", "previous": 50, "current": 90},
           {"student_id": "F", "name": "F", "class_name": "八年级1班", "previous": 90, "current": 50}],
        "conduct": [{"class_name": C7, "community": "1", "score": 90}, {"class_name": C7, "community": "2", "score": 100},
                    {"class_name": "八年级1班", "community": "1", "score": 80}],
        # M1: 9 of 10 satisfied (90% → 0.8) and one 不满意 (−1); M2: 5 of 5 (100% → 1);
        # M3: 4 of 5 (80% → 0.6) and one 不满意; M4: 179 of 200 = 89.5% → 0.6 (the exact ratio, not rounded)
        "satisfaction": votes("M1", 6, 1, basic=3) + votes("M2", 5, 0) + votes("M3", 4, 1) + votes("M4", 179, 21),
        "deductions": [{"teacher_id": "M2", "date": dt.date(2026, 10, 1), "kind": "其他"}] * 2
        + [{"teacher_id": "M4", "date": dt.date(2026, 10, 1), "kind": "教育效果不明显"}] * 3,
        "four_party": [{"teacher_id": "M1", "self": 90, "students": 80, "teachers": 70, "school": 100},
                       {"teacher_id": "M2", "self": 60, "students": 70, "teachers": 80, "school": 90}],
    }
    for v in records["satisfaction"]:
        v["student_id"] = {"M1": "A", "M2": "C", "M3": "E", "M4": "G"}[v["teacher_id"]]
    return mentors, students, records


def scores(settings=None):
    mentors, students, records = school_data()
    score_teachers(mentors, students, records, GRADES, settings or Settings())
    return {m["teacher_id"]: m for m in mentors}


def test_points_scheme_by_hand():
    m = scores()
    assert {k: v for k, v in m["M1"]["score"].items() if k != "detail"} == {
        "scheme": "points", "status": "complete", "base": 5.0, "grades": 3.0, "conduct": 0.9, "satisfaction": 0.8,
        "deductions": 1.0, "total": 8.7, "not_applicable": [], "group": "grades+conduct+satisfaction",
        "group_size": 4}
    assert m["M1"]["score"]["detail"]["mean_percentile_change"] == 37.5
    s2 = m["M2"]["score"]
    assert (s2["grades"], s2["conduct"], s2["satisfaction"], s2["deductions"], s2["total"]) == (0.0, 0.95, 1.0, 2.0, 4.95)
    s3 = m["M3"]["score"]
    assert s3["detail"]["mean_percentile_change"] == 0 and s3["grades"] == 1.0  # exactly 0 → 1 point
    assert (s3["conduct"], s3["satisfaction"], s3["deductions"], s3["total"]) == (1.0, 0.6, 1.0, 6.6)
    s4 = m["M4"]["score"]
    assert s4["detail"]["satisfied_ratio"] == 0.895 and s4["satisfaction"] == 0.6  # 89.5% is below 90%: 80–90%
    assert s4["deductions"] == 5.0  # 21 不满意 + 3 cases, capped at 5
    # 八年级 has grades (E, F), G has none: the part applies and earns 0; conduct 80/80 → 1
    assert s4["grades"] == 0.0 and s4["detail"]["mentees_with_grades"] == 0
    assert s4["total"] == 1.6  # 5 + 0 + 1 + 0.6 − 5
    assert m["M0"]["score"]["base"] == 0 and m["M0"]["rank"] is None
    assert [m[k]["rank"] for k in ("M1", "M3", "M2")] == [1, 2, 3]


def test_four_party_scheme_by_hand():
    s = Settings.model_validate({"assessment": {"scheme": "four_party"}})
    m = scores(s)
    assert m["M1"]["score"]["scheme"] == "four_party" and m["M1"]["score"]["total"] == 85.0
    assert m["M2"]["score"]["total"] == 75.0
    assert m["M3"]["score"]["total"] is None and m["M3"]["rank"] is None
    assert m["M3"]["score"]["status"] == "incomplete"
    assert m["M3"]["score"]["missing_parts"] == ["self", "students", "teachers", "school"]
    weighted = Settings.model_validate({"assessment": {"scheme": "four_party", "four_party_weights": {
        "self": 0.1, "students": 0.3, "teachers": 0.3, "school": 0.3}}})
    assert scores(weighted)["M1"]["score"]["total"] == 84.0


def test_tiers_at_their_boundaries():
    sat = Settings().assessment.satisfaction_tiers
    # on the exact ratio: 8999 of 10000 (89.99%) is below 90% → 0.6, not rounded up to 0.8
    assert [satisfaction_points(n, 10000, sat) for n in (10000, 9000, 8999, 8000, 7949)] == [1.0, 0.8, 0.6, 0.6, 0.0]
    grade = Settings().assessment.grade_tiers
    assert [tier(x, grade) for x in (5.0, 4.99, 2.0, 0.0, -0.01)] == [3.0, 2.0, 2.0, 1.0, 0.0]
    assert r2(2.675) == 2.68 and r2(0.895) == 0.9


def test_percentiles_within_the_grade_and_recognition():
    mentors, students, records = school_data()
    pct = percentile_changes(records["grades"], GRADES)
    row = pct.set_index("student_id")
    assert (row.loc["A", "pct_previous"], row.loc["A", "pct_current"]) == (25.0, 100.0)
    assert (row.loc["E", "pct_previous"], row.loc["E", "pct_current"]) == (50.0, 100.0)  # its own grade's cohort
    score_teachers(mentors, students, records, GRADES, Settings())
    mentors[0]["status"] = "needs_attention"  # M1 has the top total but is not on track
    found = recognition(mentors, students, pct, records, GRADES, Settings())
    kinds = {(r["type"], r["id"]) for r in found}
    assert ("term_praise", "M1") not in kinds and ("term_praise", "M3") in kinds
    assert [r["id"] for r in found if r["type"] == "pacesetter"] == ["A", "E"]
    top = next(r for r in found if r["type"] == "community" and r["grade"] == "七年级")
    assert (top["class"], top["id"]) == (C7, "2") and "德育量化 100.0" in top["reason"]


# -- the workbooks of a real run ------------------------------------------------------------------
INJECTED = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "=HYPERLINK(\"http://example.com\",\"x\")"]


@pytest.fixture(scope="module")
def run_out(tmp_path_factory):
    base = tmp_path_factory.mktemp("school")
    inbox, out = base / "inbox", base / "out"
    inbox.mkdir()
    c1 = make_class(21, 7, 1, students=10, mentors=2, until=dt.date(2026, 11, 20))
    c2 = make_class(22, 7, 2, students=10, mentors=2, until=dt.date(2026, 11, 20))
    for i, text in enumerate(INJECTED):
        c1.sheets["talks"][i]["summary"] = text
    c1.sheets["students"][0]["note"] = "=家庭变故，需保密"
    c1.sheets["students"][1]["attention"] = ["留守儿童"]
    c1.sheets["mentors"][1]["name"] = "=1+1"
    for t in c1.sheets["talks"]:
        if t["teacher_id"] == c1.sheets["mentors"][1]["teacher_id"]:
            t["teacher_name"] = "=1+1"
    for s in c1.sheets["students"]:
        if s["mentor_id"] == c1.sheets["mentors"][1]["teacher_id"]:
            s["mentor_name"] = "=1+1"
    class_book(inbox, c1, "七年级1班.xlsx")
    class_book(inbox, c2, "七年级2班.xlsx")
    write_assessment([c1, c2], inbox / "学校考核数据.xlsx")
    (inbox / "school.toml").write_text(school_toml(["七年级1班", "七年级2班"]), encoding="utf-8")
    result = run_inbox(inbox, out, as_of=dt.date(2026, 11, 20))
    return result, c1, c2


def _strings(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out.append(str(c.value))
    return out


def test_outputs_are_written(run_out):
    result, _, _ = run_out
    names = sorted(p.relative_to(result.out).as_posix() for p in result.outputs)
    assert names == sorted([f"{TERM1}/report.json", f"{TERM1}/合并数据_2026-2027第一学期.xlsx", "学校台账.sqlite",
                            f"{TERM1}/导师分工明细表_2026-2027第一学期.xlsx", f"{TERM1}/汇总_2026-2027第一学期.xlsx",
                            f"{TERM1}/班级反馈/七年级1班.xlsx", f"{TERM1}/班级反馈/七年级2班.xlsx", "report.json"])
    report = json.loads((term_dir(result.out) / "report.json").read_text(encoding="utf-8"))
    for m in report["mentors"]:
        assert set(m["score"]) >= {"scheme", "base", "grades", "conduct", "satisfaction", "deductions", "total"}
        assert "rank" in m
    assert {r["type"] for r in report["recognition"]} >= {"community", "pacesetter"}


def test_summary_keeps_private_data_out(run_out):
    result, c1, c2 = run_out
    text = "\n".join(_strings(term_dir(result.out) / "汇总_2026-2027第一学期.xlsx"))
    for c in (c1, c2):
        for s in c.sheets["students"]:
            assert s["parent_phone"] not in text
        for m in c.sheets["mentors"]:
            assert m["phone"] not in text
        for t in c.sheets["talks"]:
            if t["summary"] not in INJECTED:
                assert t["summary"] not in text
    assert "家庭变故" not in text and "=HYPERLINK" not in text
    assert "留守儿童" in text  # categories and flags are what the summary carries


def test_summary_can_include_phones_when_privacy_allows(run_out, tmp_path):
    result, c1, _ = run_out
    s = result.settings.model_copy(deep=True)
    s.privacy.include_phone_numbers = True
    again = run_inbox(result.inbox, tmp_path / "o", settings=s, as_of=dt.date(2026, 11, 20))
    text = "\n".join(_strings(term_dir(again.out) / "汇总_2026-2027第一学期.xlsx"))
    assert c1.sheets["students"][1]["parent_phone"] in text


def test_feedback_holds_its_own_class_only(run_out):
    result, c1, c2 = run_out
    mine = "\n".join(_strings(term_dir(result.out) / "班级反馈" / "七年级1班.xlsx"))
    other = "\n".join(_strings(term_dir(result.out) / "班级反馈" / "七年级2班.xlsx"))
    for s in c2.sheets["students"]:
        assert s["student_id"] not in mine and s["name"] not in mine
    for s in c1.sheets["students"]:
        assert s["student_id"] not in other
    assert any(s["student_id"] in mine for s in c1.sheets["students"])
    assert "=1+1" in mine  # the class's own mentor, named as typed


def test_formula_looking_text_stays_text_in_every_output(run_out):
    result, _, _ = run_out
    books = [p for p in result.outputs if p.suffix == ".xlsx"]
    assert len(books) == 5  # merged, summary, two feedback books, 导师分工明细表
    seen = set()
    for path in books:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = z.read(name).decode("utf-8")
                    assert "<f>" not in xml and "<f " not in xml, (path.name, name)
                    assert "hyperlink" not in xml.lower() or "HYPERLINK(" in xml
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value in INJECTED:
                        assert c.data_type == "s"
                        seen.add(c.value)
    assert seen == set(INJECTED)


def test_every_grid_shows_the_compliance_states(run_out):
    """The summary, the merged book and each feedback book show the same symbol for every student and period,
    and the summary colours each state (its grid rows past the first are written by our own XML writer)."""
    result, _, _ = run_out
    summary = openpyxl.load_workbook(term_dir(result.out) / "汇总_2026-2027第一学期.xlsx")
    merged = openpyxl.load_workbook(term_dir(result.out) / "合并数据_2026-2027第一学期.xlsx")
    for cls in ("七年级1班", "七年级2班"):
        model = grid_model(result.compliance, cls)
        assert len(model.rows) >= 5 and {s for r in model.rows for s in r[2:]} >= {"met", "missed"}
        expected = [[r[0], r[1], *(GRID_STATES[s] or None for s in r[2:])] for r in model.rows]
        feedback = openpyxl.load_workbook(term_dir(result.out) / "班级反馈" / f"{cls}.xlsx")["达标表"]
        for ws in (summary[f"达标-{cls}"], merged[f"达标-{cls}"], feedback):
            assert [c.value for c in ws[4]][:len(model.headers)] == model.headers
            got = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_col=len(model.headers))]
            assert got == expected, ws.title
        ws = summary[f"达标-{cls}"]
        for i, r in enumerate(model.rows):
            for c, state in enumerate(r[2:], start=3):
                fill = STYLES[state].fill  # (the registry's colour: met green, missed red, exempt grey …)
                cell = ws.cell(5 + i, c)
                assert (cell.fill.fgColor.rgb if cell.fill.fill_type else None) == \
                    ("FF" + COLOURS[fill] if fill else None)
                assert cell.border.left.style == "thin"


def _structure(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    sheets = {}
    for ws in wb.worksheets:
        header_row = 4 if ws.title.startswith("达标-") else 1
        header = [c.value for c in ws[header_row]] if ws.max_row >= header_row else []
        if ws.title.startswith("达标-"):
            header = header[:2]
        elif ws.title == "概览":
            header = [ws["A4"].value, ws["B4"].value]
        sheets[ws.title] = {"header": header, "frozen": ws.freeze_panes}
    with zipfile.ZipFile(path) as z:
        charts = sorted(re.findall(r"<a:t>([^<]+)</a:t>", z.read(n).decode("utf-8"))[0]
                        for n in z.namelist() if n.startswith("xl/charts/chart"))
    return {"sheets": sheets, "charts": charts}


def test_summary_matches_the_golden_structure(run_out):
    result, _, _ = run_out
    got = _structure(term_dir(result.out) / "汇总_2026-2027第一学期.xlsx")
    golden = ROOT / "tests" / "golden" / "summary_structure.json"
    if os.environ.get("UPDATE_GOLDEN"):  # UPDATE_GOLDEN=1 pytest … rewrites it; review the diff, commit
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))
    assert list(got["sheets"])[:len(SUMMARY_SHEETS)] == SUMMARY_SHEETS
    assert got["charts"] == ["各班达标率", "导师考核总分分布", "重点关注学生（按类别）"]


def test_class_names_become_safe_file_names():
    assert safe_file_name("七年级1班") == "七年级1班"
    unsafe = safe_file_name("../../etc/passwd")
    assert "/" not in unsafe and ".." not in unsafe and unsafe.endswith("etc_passwd")
    assert safe_file_name('高一(3)班:实验"班"') == "高一(3)班_实验_班_"
    assert safe_file_name("  ") == "未命名班级" and safe_file_name("CON") == "_CON"
