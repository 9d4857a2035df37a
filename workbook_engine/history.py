"""`workbook-engine history`: term-by-term figures from the school ledger, for a teacher, a class, a student or
the whole school. Read-only: the ledger is opened in SQLite's read-only mode and never migrated or changed."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from workbook_engine.errors import UsageError
from workbook_engine.messages import CATALOGUE, t
from workbook_engine.settings import Settings

# what each view shows, in order: (column in the query, zh header, en header)
COLUMNS: dict[str, list[tuple[str, str, str]]] = {
    "school": [("school_year", "学年", "school year"), ("term", "学期", "term"), ("as_of", "统计截至", "as of"),
               ("classes", "班级数", "classes"), ("students", "学生数", "students"), ("teachers", "导师数", "teachers"),
               ("talk_rate", "谈心达标率", "talk rate"), ("parent_rate", "家长联系达标率", "parent-contact rate")],
    "teacher": [("school_year", "学年", "school year"), ("term", "学期", "term"), ("name", "姓名", "name"),
                ("classes", "任导班级", "classes"), ("mentees", "受导人数", "mentees"),
                ("talk_rate", "谈心达标率", "talk rate"), ("parent_rate", "家长联系达标率", "parent-contact rate"),
                ("status", "达标状态", "status"), ("total", "考核总分", "score"), ("rank", "排名", "rank")],
    "class": [("school_year", "学年", "school year"), ("term", "学期", "term"), ("students", "学生数", "students"),
              ("talk_rate", "谈心达标率", "talk rate"), ("parent_rate", "家长联系达标率", "parent-contact rate"),
              ("study_weeks", "学情研究(已/应,周)", "studies (met/due, weeks)"),
              ("community_months", "共同体活动(已/应,月)", "community (met/due, months)"),
              ("attention_students", "重点关注学生", "attention students"),
              ("escalated_students", "需学校关注", "escalated")],
    "student": [("school_year", "学年", "school year"), ("term", "学期", "term"), ("class", "班级", "class"),
                ("mentor_id", "导师工号", "mentor"), ("talks", "谈心(已/应)", "talks (met/due)"),
                ("parents", "家长联系(已/应)", "parent contacts (met/due)"), ("archive", "成长档案(已/应)", "archive (met/due)")],
}

QUERIES = {
    "school": """
        SELECT t.school_year, t.term, t.as_of, t.classes, t.students, t.teachers,
               CAST(sum(c.talk_met) AS REAL) / nullif(sum(c.talk_expected), 0) AS talk_rate,
               CAST(sum(c.parent_met) AS REAL) / nullif(sum(c.parent_expected), 0) AS parent_rate
        FROM terms t LEFT JOIN class_figures c USING (term_id)
        GROUP BY t.term_id ORDER BY t.school_year, t.term""",
    "teacher": """
        SELECT t.school_year, t.term, s.name, s.classes, s.mentees, s.talk_rate, s.parent_rate, s.status,
               s.total, s.rank
        FROM teacher_scores s JOIN terms t USING (term_id) WHERE s.teacher_id = ?
        ORDER BY t.school_year, t.term""",
    "class": """
        SELECT t.school_year, t.term, c.students, c.talk_rate, c.parent_rate,
               c.study_weeks_met || '/' || c.study_weeks_expected AS study_weeks,
               c.community_months_met || '/' || c.community_months_expected AS community_months,
               c.attention_students, c.escalated_students
        FROM class_figures c JOIN terms t USING (term_id) WHERE c.class = ?
        ORDER BY t.school_year, t.term""",
    "student": """
        SELECT t.school_year, t.term, f.class, f.mentor_id,
               f.talk_met || '/' || f.talk_expected AS talks, f.parent_met || '/' || f.parent_expected AS parents,
               coalesce(f.archive_met, 0) || '/' || coalesce(f.archive_expected, 0) AS archive
        FROM student_figures f JOIN terms t USING (term_id) WHERE f.student_id = ?
        ORDER BY t.school_year, t.term""",
}


def history(out: str | Path, settings: Settings, teacher: str | None = None, class_name: str | None = None,
            student: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    """(view, one row per term, oldest first) from OUT's ledger: a teacher's, a class's or a student's figures,
    or the school's when none is named. UsageError when there is no ledger."""
    from workbook_engine.ledger import location

    _, path = location(Path(out), settings)
    if not path.is_file():
        raise UsageError(f"没有学校台账 {path}：请先运行 run / no ledger at {path}: run `run` first")
    view, args = ("teacher", (teacher,)) if teacher else ("class", (class_name,)) if class_name else \
        ("student", (student,)) if student else ("school", ())
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute(QUERIES[view], args)]
    except sqlite3.DatabaseError as exc:
        raise UsageError(f"学校台账 {path} 无法读取：{exc} / the ledger cannot be read") from None
    finally:
        conn.close()
    return view, rows


def table(view: str, rows: list[dict[str, Any]], lang: str = "zh") -> list[tuple[str, ...]]:
    """The rows as text for the console: a header, then a term a line; rates as percentages."""
    columns = COLUMNS[view]
    out = [tuple(en if lang == "en" else zh for _, zh, en in columns)]
    for r in rows:
        cells = []
        for key, _, _ in columns:
            v = r.get(key)
            if v is None:
                cells.append("—")
            elif key == "status":
                cells.append(v if lang == "en" else t("band." + v, "zh") if f"band.{v}" in CATALOGUE else v)
            elif key.endswith("_rate"):
                cells.append(f"{v:.1%}")
            elif isinstance(v, float):
                cells.append(f"{v:.2f}")
            else:
                cells.append(str(v))
        out.append(tuple(cells))
    return out
