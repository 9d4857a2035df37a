"""The school's own duties in 学校工作记录, checked after the class workbooks are combined (school_work.flag): the
principal's monthly meeting is hosted by the principal or a school leader (《学情会商制度实施方案》三: 校长每月至少主持
召开一次专题研究学生工作的办公会议), and each 级部计划 / 级部总结 names its grade (《全员育人导师制实施方案》: 级部要做好工作计划，
及时总结). Warnings at the row's cell: the row still counts as held (a 级部 row naming no grade counts for none)."""
from __future__ import annotations

from workbook_engine.validation.rules import W, code

code("meeting-host-not-leader", W, "relation")
code("grade-work-without-grade", W, "relation")
