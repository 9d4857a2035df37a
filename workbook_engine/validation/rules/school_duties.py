"""The school's own duties in 学校工作记录, checked after the class workbooks are combined (school_work.flag): the
principal's monthly meeting is hosted by the principal or a school leader (《学情会商制度实施方案》三: 校长每月至少主持
召开一次专题研究学生工作的办公会议), and each 级部计划 / 级部总结 names its grade (《全员育人导师制实施方案》: 级部要做好工作计划，
及时总结). Warnings at the row's cell: the row still counts as held (a 级部 row naming no grade counts for none)."""
from __future__ import annotations

from workbook_engine.validation.rules import W, code

code("meeting-host-not-leader", W, "relation",
     "专题会议应由校长或校级领导主持，主持人“{value}”不在设置的校长、校级领导（{detail}）中；仍计为已开",
     "the monthly meeting is hosted by the principal or a school leader; '{value}' is not among them ({detail}); "
     "it still counts as held")
code("grade-work-without-grade", W, "relation",
     "{value}没有写明年级（在“年级”列或参加人员中写出，如 三年级；本校年级：{detail}），不计入任何年级",
     "the {value} names no grade (write it in 年级 or among the attendees, e.g. 三年级; the school's grades: "
     "{detail}); it counts for no grade")
