"""Validation problems as data: one enumeration of codes, each with a severity and message templates."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class CodeSpec:
    severity: Severity
    category: str
    zh: str
    en: str


E, W = Severity.ERROR, Severity.WARNING

# code -> (severity, category, Chinese message template, English message template)
CODES: dict[str, CodeSpec] = {
    # file
    "not-a-workbook": CodeSpec(E, "file", "不是 Excel 工作簿（{detail}），请用 Excel 或 WPS 另存为 .xlsx 后再发送",
                               "not a spreadsheet ({detail}); please save it as .xlsx and send it again"),
    "unreadable-file": CodeSpec(E, "file", "文件无法读取（{detail}），请重新保存后再发送",
                                "the file cannot be read ({detail}); please save it again and resend"),
    "encrypted-file": CodeSpec(E, "file", "文件设有打开密码，请取消密码后再发送",
                               "the workbook is password-protected; remove the password and resend"),
    "file-too-large": CodeSpec(E, "file", "文件过大（{detail}），超过上限", "the file is too large ({detail})"),
    "unknown-workbook": CodeSpec(E, "file", "既不是班级学情工作簿，也不是学校考核数据工作簿（工作表：{detail}）",
                                 "neither a class workbook nor an assessment workbook (sheets: {detail})"),
    "old-template-version": CodeSpec(W, "file", "模板版本 {value} 较旧，当前为 {detail}，建议改用新模板",
                                     "template version {value} is older than the engine's {detail}; please use the new template"),
    "formula-without-value": CodeSpec(W, "file", "公式没有计算结果（{value}），请在 Excel/WPS 中打开并保存一次",
                                      "formula without a cached value ({value}); open and save the file in Excel/WPS once"),
    "damaged-file": CodeSpec(E, "file", "文件已损坏（{detail}），请用 Excel/WPS 重新保存后再发送",
                             "the file is damaged ({detail}); please save it again and resend"),
    "zip-bomb": CodeSpec(E, "file", "疑似压缩炸弹（{detail}），已拒绝读取",
                         "suspected zip bomb ({detail}); not read"),
    "unsafe-xml": CodeSpec(E, "file", "文件含有不安全的 XML 定义（DOCTYPE/ENTITY，部件 {detail}），已拒绝读取",
                           "the file holds an unsafe XML declaration (DOCTYPE/ENTITY in {detail}); not read"),
    "reader-crashed": CodeSpec(E, "file", "读取此文件时读取进程异常退出（{detail}），其他文件不受影响；请重新保存后再发送",
                               "the reader process died on this file ({detail}); other files are unaffected"),
    "sheet-too-large": CodeSpec(E, "file", "工作表范围过大（{detail}），未读取；请删除远处多余的单元格后再发送",
                                "the sheet's used range is too large ({detail}); not read"),
    "external-links": CodeSpec(W, "file", "工作簿含有 {value} 个外部链接，已按保存时的值读取，不会访问链接",
                               "the workbook has {value} external links; saved values were read, links never followed"),
    "macros-ignored": CodeSpec(W, "file", "工作簿含有宏：只读取数值，宏不会被执行，也不会复制到任何输出",
                               "the workbook contains macros: values only, macros are never run or copied"),
    "formula-cells": CodeSpec(W, "file", "{sheet} 有 {value} 个公式单元格，已按保存时的计算结果读取",
                              "{sheet} has {value} formula cells; their saved results were read"),
    "rows-lost": CodeSpec(W, "file", "{sheet}: 较早版本中的 {value} 行在此版本中缺失",
                          "{sheet}: {value} rows of an earlier version are missing from this version"),
    # cell contents
    "error-value": CodeSpec(E, "value", "单元格是错误值 {value}，请改正公式或填写数值",
                            "the cell holds the error value {value}"),
    "text-too-long": CodeSpec(E, "value", "文字长度 {detail} 个字符，超过 Excel 单元格上限 32767",
                              "text of {detail} characters exceeds Excel's cell limit of 32,767"),
    "control-characters": CodeSpec(W, "value", "含有不可见的控制字符，已去除", "invisible control characters were removed"),
    "invalid-characters": CodeSpec(W, "value", "含有无法保存到工作簿的特殊字符（{detail}），已去除",
                                   "characters no workbook can hold ({detail}) were removed"),
    # sheet and columns
    "missing-sheet": CodeSpec(E, "sheet", "缺少工作表“{sheet}”", "required sheet '{sheet}' is missing"),
    "missing-optional-sheet": CodeSpec(W, "sheet", "没有可选工作表“{sheet}”，相关检查将按无记录处理",
                                       "optional sheet '{sheet}' is absent; its checks treat its records as missing"),
    "missing-header": CodeSpec(E, "sheet", "找不到表头行（前 {detail} 行中没有可识别的列名）",
                               "no header row found in the first {detail} rows"),
    "missing-column": CodeSpec(E, "column", "缺少必填列“{column}”", "required column '{column}' is missing"),
    "extra-column": CodeSpec(W, "column", "多出的列“{column}”已保留，但不参与统计",
                             "extra column '{column}' is kept but not used"),
    "class-info-missing": CodeSpec(E, "column", "{sheet}缺少“{column}”", "{sheet} lacks '{column}'"),
    "missing-value": CodeSpec(E, "cell", "“{column}”必须填写", "'{column}' is required"),
    "invalid-date": CodeSpec(E, "cell", "“{value}”不是有效日期（可写 2026-09-01 或 2026年9月1日）",
                             "'{value}' is not a date (write 2026-09-01)"),
    "date-out-of-term": CodeSpec(E, "cell", "日期 {value} 不在本学期内（{detail}）",
                                 "date {value} is outside the term ({detail})"),
    "value-not-allowed": CodeSpec(E, "cell", "“{value}”不是允许的值，应为：{detail}",
                                  "'{value}' is not allowed; expected one of: {detail}"),
    "invalid-number": CodeSpec(E, "cell", "“{value}”不是有效数字", "'{value}' is not a number"),
    "invalid-id": CodeSpec(E, "cell", "“{value}”不是有效编号", "'{value}' is not a valid id"),
    "invalid-school-year": CodeSpec(E, "cell", "学年“{value}”无效，应写成相邻两年，如 2026-2027",
                                    "school year '{value}' is invalid: write two consecutive years, like 2026-2027"),
    "value-normalized": CodeSpec(W, "cell", "“{value}”已按“{detail}”处理，请使用下拉列表",
                                 "'{value}' was read as '{detail}'; please use the dropdown"),
    # rows and relations
    "duplicate-student-id": CodeSpec(E, "relation", "学号 {value} 在学生名册中重复（另见第 {detail} 行）",
                                     "student id {value} appears twice in the roster (see also row {detail})"),
    "unknown-student": CodeSpec(E, "relation", "学号 {value} 不在学生名册中", "student id {value} is not in the roster"),
    "unknown-mentor": CodeSpec(E, "relation", "工号 {value} 不在导师名单中", "teacher id {value} is not in the mentor list"),
    "student-without-mentor": CodeSpec(E, "relation", "学生 {value} 没有填写导师工号", "student {value} has no mentor"),
    "not-own-mentor": CodeSpec(W, "relation", "{value} 不是该生的导师（导师为 {detail}），此记录不计入结对完成情况",
                               "{value} is not this student's mentor ({detail}); the record does not count for the pair"),
    "assessment-unknown-student": CodeSpec(W, "relation", "学号 {value} 不在任何已采用的学生名册中，此行不计入考核",
                                           "student id {value} is on no accepted roster; the row is not scored"),
    "assessment-unknown-teacher": CodeSpec(W, "relation", "工号 {value} 不在任何已采用的导师名单中，此行不计入考核",
                                           "teacher id {value} is on no accepted mentor list; the row is not scored"),
    "assessment-unknown-class": CodeSpec(W, "relation", "班级“{value}”没有已采用的班级工作簿，此行不计入考核",
                                         "class '{value}' has no accepted class workbook; the row is not scored"),
    "leader-student-not-in-class": CodeSpec(W, "relation", "学号 {value} 不在班级名册中（该生在 {detail}），此包靠行不生效",
                                            "student id {value} is not in this class (the student is in {detail}); "
                                            "the leader row does not apply"),
    "school-work-unknown-student": CodeSpec(W, "relation", "研究学生中的学号 {value} 不在任何已采用的学生名册中",
                                            "student id {value} in 研究学生 is on no accepted roster"),
    "vote-not-own-mentor": CodeSpec(W, "relation", "{value} 不是该生的导师（导师为 {detail}），此评价不计入",
                                    "{value} is not this student's mentor ({detail}); the vote is not counted"),
    "duplicate-vote": CodeSpec(W, "relation", "学号 {value} 对导师 {detail} 的评价重复，只计一次",
                               "student {value} voted for mentor {detail} more than once; counted once"),
    "mentor-book-unknown-student": CodeSpec(W, "relation", "学号 {value} 不在班级“{detail}”已采用的学生名册中，此记录保留但不计入",
                                            "student id {value} is not on the accepted roster of '{detail}'; "
                                            "the record is kept but not counted"),
    "not-own-mentee": CodeSpec(W, "relation", "学生 {value} 不是本导师的受导学生（导师为 {detail}），此记录保留但不计入",
                               "student {value} is not this mentor's mentee (mentor: {detail}); kept, not counted"),
    "duplicate-nomination": CodeSpec(W, "relation", "学号 {value} 已由推荐人 {detail} 推荐过，只计一次",
                                     "student {value} was nominated by {detail} more than once; counted once"),
    "teacher-name-mismatch": CodeSpec(W, "relation", "工号 {value} 在其他班级的导师名单中姓名为“{detail}”，请核对",
                                      "teacher id {value} is named '{detail}' in another class's mentor list"),
    "pair-change-mismatch": CodeSpec(W, "relation", "新导师 {value} 与学生名册中该生现在的导师 {detail} 不一致；以学生名册为准",
                                     "the new mentor {value} is not the student's mentor on the roster ({detail}); "
                                     "the roster is used"),
    "mentor-left-with-mentees": CodeSpec(E, "relation", "导师 {value} 已离岗，仍有受导学生：请为该生更换导师，并在“结对变更”表中记录",
                                         "mentor {value} has left but still has mentees: pair the student with another "
                                         "mentor and record it in 结对变更"),
    # the pairing structure (seed 000, seed 001): warnings, the rows stay
    "community-count": CodeSpec(W, "pairing", "本班学生分在 {value} 个共同体中，应为 4-5 个",
                                "the class's students are in {value} communities; there should be 4-5"),
    "community-level-mix": CodeSpec(W, "pairing", "第 {value} 共同体没有学业水平为“{detail}”的学生（共同体内应好、中、差搭配）",
                                    "community {value} has no student of level '{detail}' (each should mix 好/中/差)"),
    "mentee-load-spread": CodeSpec(W, "pairing", "导师 {value} 的受导人数与其他导师相差过大（{detail}）",
                                   "mentor {value}'s number of mentees is far from the others' ({detail})"),
    "mentor-without-mentee": CodeSpec(W, "pairing", "科任导师 {value} 没有受导学生（每位导师都要有关爱的学生）",
                                      "subject teacher {value} has no mentee (every mentor should care for students)"),
    "student-without-community": CodeSpec(W, "pairing", "学生 {value} 没有分入共同体",
                                          "student {value} is in no community"),
    "late-pairing": CodeSpec(W, "pairing", "新生 {value} 没有在入学后 {detail}",
                             "new student {value} was not paired within {detail}"),
    # across terms (the school ledger)
    "mentor-changed-without-record": CodeSpec(
        W, "relation", "学生 {value} 本学年上学期的导师为 {detail}，本学期换了导师却没有“结对变更”记录（结对至少保持一个学年）",
        "student {value} had mentor {detail} last term of this school year; the mentor changed without a 结对变更 row "
        "(a pairing lasts at least a school year)"),
    "grade-baseline-missing": CodeSpec(
        W, "relation", "学号 {value} 的上学期成绩未填，学校台账中也没有该生上学期的成绩：此行不计入成绩提高",
        "student {value} has no 上学期成绩 here nor in the school ledger: the row is not scored for grade change"),
    "name-mismatch": CodeSpec(W, "relation", "姓名“{value}”与编号对应的“{detail}”不一致",
                              "name '{value}' does not match '{detail}' for this id"),
}


@dataclass
class Problem:
    """One thing wrong with a workbook, located as precisely as the data allows."""

    code: str
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None
    detail: str = ""
    detail_en: str | None = None  # the detail in English, where it is not a value from the file

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    def message(self, lang: str = "zh") -> str:
        spec = CODES[self.code]
        template = spec.en if lang == "en" else spec.zh
        detail = self.detail_en if lang == "en" and self.detail_en is not None else self.detail
        return template.format(
            sheet=self.sheet or "", column=self.column or "", value=_show(self.value), detail=detail
        )

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "value": _json_value(self.value),
            "message": self.message(lang),
        }


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
