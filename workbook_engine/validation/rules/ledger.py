"""Rules across terms: raised by across_terms.py against the school ledger (the previous term's pairings and
grades), at the cell of the class workbook they concern."""
from __future__ import annotations

from workbook_engine.validation.rules import W, code

code("mentor-changed-without-record", W, "relation",
     "学生 {value} 本学年上学期的导师为 {detail}，本学期换了导师却没有“结对变更”记录（结对至少保持一个学年）",
     "student {value} had mentor {detail} last term of this school year; the mentor changed without a 结对变更 row "
     "(a pairing lasts at least a school year)")
code("grade-baseline-missing", W, "relation",
     "学号 {value} 的上学期成绩未填，学校台账中也没有该生上学期的成绩：此行不计入成绩提高",
     "student {value} has no 上学期成绩 here nor in the school ledger: the row is not scored for grade change")
