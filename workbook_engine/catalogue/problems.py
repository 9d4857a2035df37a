"""Problem messages: one template a problem code (`problem.<code>`, rendered by Problem.message with {sheet},
{column}, {value} and {detail}), and the details the rule units build (`problem.<code>.<part>`)."""
from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # -- the problem codes' messages, by the unit that registers the code ----------------------------------------
    # reading a file and its cells: validation/problems.py
    "problem.not-a-workbook": ("不是 Excel 工作簿（{detail}），请用 Excel 或 WPS 另存为 .xlsx 后再发送",
                               "not a spreadsheet ({detail}); please save it as .xlsx and send it again"),
    "problem.unreadable-file": ("文件无法读取（{detail}），请重新保存后再发送",
                                "the file cannot be read ({detail}); please save it again and resend"),
    "problem.encrypted-file": ("文件设有打开密码，请取消密码后再发送",
                               "the workbook is password-protected; remove the password and resend"),
    "problem.file-too-large": ("文件过大（{detail}），超过上限", "the file is too large ({detail})"),
    "problem.unknown-workbook": ("既不是班级学情工作簿，也不是学校考核数据工作簿（工作表：{detail}）",
                                 "neither a class workbook nor an assessment workbook (sheets: {detail})"),
    "problem.old-template-version": ("模板版本 {value} 较旧，当前为 {detail}，建议改用新模板",
                                     "template version {value} is older than the engine's {detail}; please use the "
                                     "new template"),
    "problem.formula-without-value": ("公式没有计算结果（{value}），请在 Excel/WPS 中打开并保存一次",
                                      "formula without a cached value ({value}); open and save the file in "
                                      "Excel/WPS once"),
    "problem.damaged-file": ("文件已损坏（{detail}），请用 Excel/WPS 重新保存后再发送",
                             "the file is damaged ({detail}); please save it again and resend"),
    "problem.zip-bomb": ("疑似压缩炸弹（{detail}），已拒绝读取", "suspected zip bomb ({detail}); not read"),
    "problem.unsafe-xml": ("文件含有不安全的 XML 定义（DOCTYPE/ENTITY，部件 {detail}），已拒绝读取",
                           "the file holds an unsafe XML declaration (DOCTYPE/ENTITY in {detail}); not read"),
    "problem.reader-crashed": ("读取此文件时读取进程异常退出（{detail}），其他文件不受影响；请重新保存后再发送",
                               "the reader process died on this file ({detail}); other files are unaffected"),
    "problem.sheet-too-large": ("工作表范围过大（{detail}），未读取；请删除远处多余的单元格后再发送",
                                "the sheet's used range is too large ({detail}); not read"),
    "problem.external-links": ("工作簿含有 {value} 个外部链接，已按保存时的值读取，不会访问链接",
                               "the workbook has {value} external links; saved values were read, links never "
                               "followed"),
    "problem.macros-ignored": ("工作簿含有宏：只读取数值，宏不会被执行，也不会复制到任何输出",
                               "the workbook contains macros: values only, macros are never run or copied"),
    "problem.formula-cells": ("{sheet} 有 {value} 个公式单元格，已按保存时的计算结果读取",
                              "{sheet} has {value} formula cells; their saved results were read"),
    "problem.rows-lost": ("{sheet}: 较早版本中的 {value} 行在此版本中缺失",
                          "{sheet}: {value} rows of an earlier version are missing from this version"),
    "problem.error-value": ("单元格是错误值 {value}，请改正公式或填写数值", "the cell holds the error value {value}"),
    "problem.text-too-long": ("文字长度 {detail} 个字符，超过 Excel 单元格上限 32767",
                              "text of {detail} characters exceeds Excel's cell limit of 32,767"),
    "problem.control-characters": ("含有不可见的控制字符，已去除", "invisible control characters were removed"),
    "problem.invalid-characters": ("含有无法保存到工作簿的特殊字符（{detail}），已去除",
                                   "characters no workbook can hold ({detail}) were removed"),
    "problem.missing-sheet": ("缺少工作表“{sheet}”", "required sheet '{sheet}' is missing"),
    "problem.missing-optional-sheet": ("没有可选工作表“{sheet}”，相关检查将按无记录处理",
                                       "optional sheet '{sheet}' is absent; its checks treat its records as missing"),
    "problem.missing-header": ("找不到表头行（前 {detail} 行中没有可识别的列名）",
                               "no header row found in the first {detail} rows"),
    "problem.missing-column": ("缺少必填列“{column}”", "required column '{column}' is missing"),
    "problem.extra-column": ("多出的列“{column}”已保留，但不参与统计",
                             "extra column '{column}' is kept but not used"),
    "problem.class-info-missing": ("{sheet}缺少“{column}”", "{sheet} lacks '{column}'"),
    "problem.missing-value": ("“{column}”必须填写", "'{column}' is required"),
    "problem.invalid-date": ("“{value}”不是有效日期（可写 2026-09-01 或 2026年9月1日）",
                             "'{value}' is not a date (write 2026-09-01)"),
    "problem.date-out-of-term": ("日期 {value} 不在本学期内（{detail}）",
                                 "date {value} is outside the term ({detail})"),
    "problem.value-not-allowed": ("“{value}”不是允许的值，应为：{detail}",
                                  "'{value}' is not allowed; expected one of: {detail}"),
    "problem.invalid-number": ("“{value}”不是有效数字", "'{value}' is not a number"),
    "problem.invalid-id": ("“{value}”不是有效编号", "'{value}' is not a valid id"),
    "problem.invalid-school-year": ("学年“{value}”无效，应写成相邻两年，如 2026-2027",
                                    "school year '{value}' is invalid: write two consecutive years, like 2026-2027"),
    "problem.value-normalized": ("“{value}”已按“{detail}”处理，请使用下拉列表",
                                 "'{value}' was read as '{detail}'; please use the dropdown"),
    "problem.dates-outside-own-term": ("学期“{value}”与本工作簿的记录不符：{detail}",
                                       "the term '{value}' does not match this workbook's records: {detail}"),
    "problem.number-out-of-range": ("“{value}”不在 {detail} 的范围内，已按未填处理",
                                    "'{value}' is outside {detail}: treated as blank"),
    # validation/rules/baseline.py
    "problem.grade-baseline-missing": ("学号 {value} 的上学期成绩未填，学校台账中也没有该生上学期的成绩：此行不计入"
                                       "成绩提高",
                                       "student {value} has no 上学期成绩 here nor in the school ledger: the row is"
                                       " not scored for grade change"),
    "problem.grade-baseline-first-term": ("班级“{value}”本学期是在本校的第一个学期：{detail} 名学生没有上学期成绩，"
                                          "成绩进步一项对他们不适用",
                                          "class '{value}' is in its first term at the school: {detail} students ha"
                                          "ve no 上学期成绩, so grade change does not apply to them"),
    # validation/rules/ledger.py
    "problem.mentor-changed-without-record": ("学生 {value} 本学年上学期的导师为 {detail}，本学期换了导师却没有“结对"
                                              "变更”记录（结对至少保持一个学年）",
                                              "student {value} had mentor {detail} last term of this school year; t"
                                              "he mentor changed without a 结对变更 row (a pairing lasts at least a"
                                              " school year)"),
    # validation/rules/load.py
    "problem.too-few-mentees": ("科任导师 {value} 在各班共带受导学生 {detail}（每位任课教师需要受导多名学生）",
                                "subject teacher {value} mentors {detail} over all classes (each subject teacher "
                                "mentors several students)"),
    # validation/rules/mentor_books.py
    "problem.mentor-book-other-mentor": ("导师工号 {value} 不是本手册的工号 {detail}：导师工作手册只记录本人的工作，"
                                         "此行不采用",
                                         "teacher id {value} is not this book's own {detail}: a mentor's book "
                                         "records that mentor's own work only; the row is not used"),
    "problem.mentor-book-unknown-student": ("学号 {value} 不在班级“{detail}”已采用的学生名册中，此行不采用",
                                            "student id {value} is not on the accepted roster of '{detail}'; the "
                                            "row is not used"),
    "problem.not-own-mentee": ("学生 {value} 在该日期不是本导师的受导学生（导师为 {detail}），此行不采用",
                               "student {value} was not this mentor's mentee on that date (mentor: {detail}); the "
                               "row is not used"),
    # validation/rules/pairing.py
    "problem.mentor-left-with-mentees": ("导师 {value} 已离岗，仍有受导学生：请为该生更换导师，并在“结对变更”表中记"
                                         "录",
                                         "mentor {value} has left but still has mentees: pair the student with anot"
                                         "her mentor and record it in 结对变更"),
    "problem.student-without-community": ("学生 {value} 没有分入共同体", "student {value} is in no community"),
    "problem.community-count": ("本班学生分在 {value} 个共同体中，应为 4-5 个",
                                "the class's students are in {value} communities; there should be 4-5"),
    "problem.community-level-mix": ("第 {value} 共同体没有学业水平为“{detail}”的学生（共同体内应好、中、差搭配）",
                                    "community {value} has no student of level '{detail}' (each should mix 好/中/差"
                                    ")"),
    "problem.mentor-without-mentee": ("科任导师 {value} 没有受导学生（每位导师都要有关爱的学生）",
                                      "subject teacher {value} has no mentee (every mentor should care for "
                                      "students)"),
    "problem.mentee-load-spread": ("导师 {value} 的受导人数与其他导师相差过大（{detail}）",
                                   "mentor {value}'s number of mentees is far from the others' ({detail})"),
    "problem.late-pairing": ("新生 {value} 没有在入学后 {detail}",
                             "new student {value} was not paired within {detail}"),
    # validation/rules/paperwork.py
    "problem.monthly-summary-without-date": ("类型为“{value}”的行没有填写{column}，不计入任何月份的月度总结",
                                             "a '{value}' row has no {column}; it counts for no month's summary"),
    # validation/rules/relations.py
    "problem.duplicate-student-id": ("学号 {value} 在学生名册中重复（另见第 {detail} 行）",
                                     "student id {value} appears twice in the roster (see also row {detail})"),
    "problem.student-without-mentor": ("学生 {value} 没有填写导师工号", "student {value} has no mentor"),
    "problem.unknown-mentor": ("工号 {value} 不在导师名单中", "teacher id {value} is not in the mentor list"),
    "problem.name-mismatch": ("姓名“{value}”与编号对应的“{detail}”不一致",
                              "name '{value}' does not match '{detail}' for this id"),
    "problem.unknown-student": ("学号 {value} 不在学生名册中", "student id {value} is not in the roster"),
    "problem.pair-change-mismatch": ("新导师 {value} 与学生名册中该生现在的导师 {detail} 不一致；以学生名册为准",
                                     "the new mentor {value} is not the student's mentor on the roster ({detail}); "
                                     "the roster is used"),
    "problem.not-own-mentor": ("{value} 不是该生的导师（导师为 {detail}），此记录不计入结对完成情况",
                               "{value} is not this student's mentor ({detail}); the record does not count for the "
                               "pair"),
    # validation/rules/school_duties.py
    "problem.meeting-host-not-leader": ("专题会议应由校长或校级领导主持，主持人“{value}”不在设置的校长、校级领导（"
                                        "{detail}）中；仍计为已开",
                                        "the monthly meeting is hosted by the principal or a school leader; '"
                                        "{value}' is not among them ({detail}); it still counts as held"),
    "problem.grade-work-without-grade": ("{value}没有写明年级（在“年级”列或参加人员中写出，如 三年级；本校年级："
                                         "{detail}），不计入任何年级",
                                         "the {value} names no grade (write it in 年级 or among the attendees, e.g."
                                         " 三年级; the school's grades: {detail}); it counts for no grade"),
    # validation/rules/screening.py
    "problem.assessment-unknown-student": ("学号 {value} 不在任何已采用的学生名册中，此行不计入考核",
                                           "student id {value} is on no accepted roster; the row is not scored"),
    "problem.assessment-unknown-teacher": ("工号 {value} 不在任何已采用的导师名单中，此行不计入考核",
                                           "teacher id {value} is on no accepted mentor list; the row is not scored"),
    "problem.assessment-unknown-class": ("班级“{value}”没有已采用的班级工作簿，此行不计入考核",
                                         "class '{value}' has no accepted class workbook; the row is not scored"),
    "problem.vote-not-own-mentor": ("{value} 不是该生的导师（导师为 {detail}），此评价不计入",
                                    "{value} is not this student's mentor ({detail}); the vote is not counted"),
    "problem.duplicate-vote": ("学号 {value} 对导师 {detail} 的评价重复，只计一次",
                               "student {value} voted for mentor {detail} more than once; counted once"),
    "problem.duplicate-nomination": ("学号 {value} 已由推荐人 {detail} 推荐过，只计一次",
                                     "student {value} was nominated by {detail} more than once; counted once"),
    "problem.duplicate-deduction": ("工号 {value} 的这一扣分（同日期、类型、事由）已记录过，只计一次",
                                    "this deduction for {value} (same date, type and reason) is already recorded; "
                                    "counted once"),
    "problem.deduction-outside-term": ("扣分日期 {value} 不在本学期（{detail}）内，此扣分不计入本学期考核",
                                       "the deduction's date {value} is outside this term ({detail}); it is not "
                                       "counted this term"),
    "problem.leader-student-not-in-class": ("学号 {value} 不在班级名册中（该生在 {detail}），此包靠行不生效",
                                            "student id {value} is not in this class (the student is in {detail}); "
                                            "the leader row does not apply"),
    "problem.school-work-unknown-student": ("研究学生中的学号 {value} 不在任何已采用的学生名册中",
                                            "student id {value} in 研究学生 is on no accepted roster"),
    "problem.teacher-name-mismatch": ("工号 {value} 在其他班级的导师名单中姓名为“{detail}”，请核对",
                                      "teacher id {value} is named '{detail}' in another class's mentor list"),
    # validation/rules/studies.py
    "problem.study-host-not-head-teacher": ("学情研究由班主任主持，本行主持人为“{value}”（班主任：{detail}）；仍计为"
                                            "已研究",
                                            "a class study is hosted by the head teacher; this one by '{value}' "
                                            "(head teacher: {detail}); it still counts"),
    "problem.study-without-mentor": ("学情研究的参加人员中没有本班导师（“{value}”）；应由班主任与导师一起研究，仍计"
                                     "为已研究",
                                     "no mentor of the class among the study's attendees ('{value}'); the head "
                                     "teacher studies with the mentors; it still counts"),
    # -- details the rule units build ------------------------------------------------------------------------------
    # validation/rules/pairing.py
    "problem.mentee-load-spread.detail": ("带 {n} 人，最少的导师带 {low} 人，相差超过 {spread} 人",
                                          "{n} mentees, the fewest is {low}: more than {spread} apart"),
    "problem.late-pairing.detail": ("{days} 天内结对（入学 {enrolled}，结对 {paired}）",
                                    "{days} days of enrolment (enrolled {enrolled}, paired {paired})"),
    "problem.late-pairing.not_paired": ("未填", "not given"),
}
