"""The words of the run and the console are in the catalogue: every Han literal left in the code of discovery,
reading, settings, publishing, mail and the console is data the reader parses or a file name, listed below with
its reason; the rest is in workbook_engine/catalogue/__init__.py. (What these modules say in each language is
tested beside them: reading/test_discovery_words.py, test_settings.py, publishing/test_publish_words.py,
mail/test_mail_words.py, cli/test_cli_words.py, writing/test_templates.py, ledger/test_newterm_words.py.)"""
from __future__ import annotations

import pytest

from tests.helpers.han import han_literals
from workbook_engine.settings import SETTINGS_TEMPLATE, SETTINGS_TEMPLATE_EN

# Han literals that stay in code: (b) the data contract — what users type and the reader parses; names of the
# files and folders a run writes (stable across languages: send-feedback, the ledger and the office's own
# scripts find them by name). Each with its reason.
TERM_NAMES = {"第一学期", "第二学期"}  # the 学期 values workbooks hold (schema choice), parsed and matched
ALLOWED: dict[str, set[str]] = {
    "cli/__init__.py": set(), "reading/inbox.py": set(), "reading/gate.py": set(), "reading/reader.py": set(), "publishing/publish.py": set(), "execution.py": set(),
    "pipeline": set(), "cli/progress.py": set(), "reading/celltext.py": set(), "privacy.py": set(), "cli/watch.py": set(),
    "settings/model.py": {
        # the default 重点关注类别 (《学情会商制度实施方案》 三 and 四（二）1; 《全员育人导师制实施方案》 四):
        # dropdown values teachers pick, matched by the validator
        "学习困难", "家庭贫困", "家庭优越", "思想波动", "心理障碍", "进城务工人员子女", "留守儿童", "行为偏差",
        "家庭教育环境不良", "心理有障碍", "学习有困难", "个性发展有特殊要求", "潜能难以充分发展", "家境贫寒",
        "行为不良", "心理封闭", "父母离异",
        *TERM_NAMES,  # [term] term's allowed values: as the workbooks write them
        "满意", "基本满意",  # satisfied_ratings: the 满意度 sheet's dropdown values
        "教育效果不明显", "其他",  # deduction_points: the 考核扣分 sheet's 类型 values
        "学校台账.sqlite",  # the ledger's default file name (an output file)
        "一年级", "二年级", "三年级", "四年级", "五年级", "六年级",  # [ledger] grades: the grade names classes carry
    },
    "settings/template.py": {
        SETTINGS_TEMPLATE,  # the commented school.toml: TOML keys with Chinese comments (a file, not a message)
        SETTINGS_TEMPLATE_EN,  # its English twin: the same keys and values (the values above), English comments
    },
    "term.py": {
        *TERM_NAMES,  # the terms as workbooks write them
        "学期未知",  # the folder of a run whose files and settings name no term
        "–—―－~～至/／",  # dashes a typed 学年 may hold (parsing)
        r"^\s*(\d{4})\s*[-–—~至/]\s*(\d{4})",  # parses a typed 学年 ("2026至2027")
        "一", "二", "上", "下",  # parse a typed 学期 (第一学期, 上学期 …)
    },
    "files.py": {"未命名班级"},  # the file name of a class whose name has no usable character
    "publishing/layout.py": {
        "班级反馈", "导师手册",  # output folder names
        "合并数据", "汇总", "导师分工明细表",  # output file names
    },
    "combining/combine.py": {"教务处"},  # the office an assessment workbook without 填报信息 is grouped under (its 填报单位)
    "validation/validate.py": {
        "项目", "内容",  # the 班级信息 template's own header cells, recognised when reading it
        "填表日期",  # the 班级信息 field's label in the file (the problem's column, as the file names it)
        "说明",  # the template's instruction sheet, read for its version line
        r"模板版本\s*[:：]?\s*v?(\d+(?:\.\d+)*)", "模板版本",  # the version line the templates write, parsed
    },
    "writing/annotate.py": {".批注.xlsx", ").批注.xlsx"},  # the annotated copy's file name (an output file)
    "mail/send.py": {"班主任"},  # the 角色 dropdown value that marks the head teacher in the mentor list
    "writing/newterm.py": {
        "班级学情工作簿", "导师工作手册",  # the folders new-term writes (output folder names)
        "离岗", "转出", "休学",  # 状态 dropdown values read from the ledger
    },
    "ledger/store.py": {"休学", "转出"},  # 状态 dropdown values: a pairing ends when the student left
}


@pytest.mark.parametrize("module", sorted(ALLOWED))
def test_no_user_facing_chinese_left_in_code(module):
    left = {text for _, text in han_literals(module if module.endswith(".py") else f"{module}.py")}
    assert left - ALLOWED[module] == set()
    assert ALLOWED[module] - left == set()  # (the allow-list names only what is there)
