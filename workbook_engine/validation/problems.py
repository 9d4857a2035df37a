"""Validation problems as data: one enumeration of codes, each with a severity and message templates.

The codes of reading a file and its cells are here; every rule across sheets and records registers its own code
in `workbook_engine.validation.rules`. Both register into `model.CODES` when the validation package is imported
(validation/__init__.py), so CODES holds them all wherever a problem is made."""
from __future__ import annotations

from workbook_engine.model import CODES, CodeSpec, Severity


E, W = Severity.ERROR, Severity.WARNING

# code -> (severity, category, Chinese message template, English message template); rules add theirs
CODES.update({
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
    # -- codes of section T
    "dates-outside-own-term": CodeSpec(E, "cell", "学期“{value}”与本工作簿的记录不符：{detail}",
                                       "the term '{value}' does not match this workbook's records: {detail}"),
    # -- end of codes T
    # ~
    # ~
    # -- codes of section N
    # -- end of codes N
    # ~
    # ~
    # -- codes of section L
    # -- end of codes L
    # ~
    # ~
    # -- codes of section R
    "number-out-of-range": CodeSpec(W, "cell", "“{value}”不在 {detail} 的范围内，已按未填处理",
                                    "'{value}' is outside {detail}: treated as blank"),
    "mentor-book-other-mentor": CodeSpec(W, "relation", "导师工号 {value} 不是本手册的工号 {detail}：导师工作手册只记录本人的工作，此行不采用",
                                         "teacher id {value} is not this book's own {detail}: a mentor's book records "
                                         "that mentor's own work only; the row is not used"),
    # -- end of codes R
    # ~
    # ~
    # -- codes of section F
    # -- end of codes F
    # ~
    # ~
    # -- codes of section D
    # -- end of codes D
    # ~
    # ~
    # -- codes of section W
    # -- end of codes W
    # ~
    # ~
})
