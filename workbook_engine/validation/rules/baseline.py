"""The grade baseline in a class's first term at the school (《全员育人导师制实施方案》七: 以上学期成绩为基数): the
lowest grade's 第一学期, or a class the ledger has not seen, has no 上学期成绩 to give — one line for the class
(raised by across_terms.grade_baseline), not grade-baseline-missing for each student."""
from __future__ import annotations

from workbook_engine.validation.rules import W, code

code("grade-baseline-first-term", W, "relation",
     "班级“{value}”本学期是在本校的第一个学期：{detail} 名学生没有上学期成绩，成绩进步一项对他们不适用",
     "class '{value}' is in its first term at the school: {detail} students have no 上学期成绩, so grade change "
     "does not apply to them")
