"""The words of the books, history, school work, recognition, the sheets across terms and the rules are in the
catalogue: every Han literal left in their code is a value of the data contract, a schema column's own header or
part of a rule unit's problem message, listed below with its reason. (What they say in each language is tested
beside them: writing/test_summary_words.py, assessment/test_recognition_words.py, ledger/test_history_words.py.)"""
from __future__ import annotations

import pytest

from tests.helpers.han import han_literals

# Han literals that stay in code, each with why: the data contract (values users pick or type and the reader
# matches, the schema's own headers). The problem messages are the catalogue's (catalogue/problems.py): the rule
# units and validation/problems.py hold none.
VALUE = "a value typed or picked in the workbooks (the data contract)"
COLUMN = "a schema column's own header, named in a problem (schema.py)"
ALLOWED: dict[str, dict[str, str]] = {
    "writing/summary/__init__.py": {},
    "writing/summary/overview.py": {},
    "writing/summary/people.py": {},
    "writing/summary/data.py": {},
    "writing/summary/school.py": {},
    "writing/summary/across.py": {},
    "writing/summary/grids.py": {},
    "writing/tables.py": {},
    "writing/feedback.py": {},
    "writing/outputs.py": {},
    "ledger/history.py": {},
    "writing/books.py": {},
    "assessment/school_work.py": {"专题会议": VALUE + ": 学校工作记录 类型", "导师培训": VALUE + ": 类型", "座谈会": VALUE + ": 类型",
                       "经验交流": VALUE + ": 类型", "其他": VALUE + ": 类型", "是": VALUE + ": 需学校关注",
                       "级部计划": VALUE + ": 类型", "级部总结": VALUE + ": 类型", "级部交流": VALUE + ": 类型"},
    "assessment/across_terms.py": {"反复": VALUE + ": 转化情况"},
    "assessment/scoring.py": {r"^(.*?(?:年级|高[一二三]|初[一二三]))": "parses the grade out of a class name as typed",
                      "不满意": VALUE + ": 满意度 评价"},
    "compliance/grids.py": {"休学": VALUE + ": 学生 状态", "转出": VALUE + ": 学生 状态"},
    "compliance/compute.py": {"班主任": VALUE + ": 导师 角色", "是": VALUE + ": 需学校关注"},
    "compliance/figures.py": {"汇报会": VALUE + ": 共同体活动 形式"},
    "compliance/frequencies.py": {}, "compliance/calendar.py": {}, "compliance/result.py": {}, "compliance/frames.py": {},
    "assessment/cell_warnings.py": {},
    "validation/rules/__init__.py": {"休学": VALUE, "转出": VALUE, "班主任": VALUE, "离岗": VALUE + ": 导师 状态"},
    "validation/rules/pairing.py": {"好": VALUE + ": 学业水平", "中": VALUE, "差": VALUE, "班主任": VALUE, "导师工号": COLUMN,
                         "共同体": COLUMN, "工号": COLUMN, "结对日期": COLUMN},
    "validation/rules/relations.py": {"学号": COLUMN, "导师工号": COLUMN, "新导师工号": COLUMN},
    "validation/rules/screening.py": {},
    "validation/rules/mentor_books.py": {},
    "validation/rules/baseline.py": {},
    "validation/rules/load.py": {"班主任": VALUE + ": 导师 角色", "离岗": VALUE + ": 导师 状态"},
    "validation/rules/studies.py": {"班主任": VALUE + ": 导师 角色", "主持人": COLUMN, "参加人员": COLUMN},
    "validation/rules/school_duties.py": {},
    "validation/rules/paperwork.py": {},
    "writing/duty_sheets.py": {},
    "assessment/rectification.py": {},
    "validation/rules/ledger.py": {},
    "validation/problems.py": {},
}


@pytest.mark.parametrize("module", sorted(ALLOWED))
def test_no_user_facing_chinese_is_left_in_the_code(module):
    left = [(line, text) for line, text in han_literals(module)
            if text not in ALLOWED[module]]
    assert left == []


