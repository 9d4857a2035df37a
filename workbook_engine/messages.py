"""The one zh/en catalogue of user-facing text: workbook titles, sheet names, headers and labels, notes,
CLI lines. `t(key, lang, **kw)` gives the text in the language asked (Chinese by default), formatted with
kw. Problem messages live in problems.CODES (code -> zh/en templates), the catalogue's problem section.

Every key has both languages; tests/test_languages.py checks that English texts hold no Han character and
Chinese texts no English word (codes such as SHA-256 excepted).
"""
from __future__ import annotations

import os
from typing import Any

LANGS = ("zh", "en")
ENV = "WORKBOOK_ENGINE_LANG"


def default_lang() -> str:
    """WORKBOOK_ENGINE_LANG when it names a known language, else Chinese."""
    value = (os.environ.get(ENV) or "").strip().lower()
    return value if value in LANGS else "zh"


def t(key: str, lang: str = "zh", **kw: Any) -> str:
    """The text for key in lang (en, else zh), formatted with kw."""
    zh, en = CATALOGUE[key]
    text = en if lang == "en" else zh
    return text.format(**kw) if kw else text


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


CATALOGUE: dict[str, tuple[str, str]] = {
    # -- paper: headers, footers, empty sections -----------------------------------------------------------------
    "paper.none": ("无", "none"),
    "paper.page": ("第 &P 页 / 共 &N 页", "page &P of &N"),
    "paper.as_of": ("统计截至 {date}", "as of {date}"),
    "paper.template_footer": ("模板版本 {version}", "template version {version}"),
    "word.yes": ("是", "yes"), "word.no": ("否", "no"),
    # -- the merged data book and shared labels -----------------------------------------------------------------------
    "label.files": ("收到的文件", "Files"),
    "label.class_info": ("班级信息", "Classes"),
    "label.rejected": ("未采用的行", "Rejected rows"),
    "label.lost": ("版本间缺失的行", "Rows lost between versions"),
    "label.conflicts": ("冲突的记录", "Conflicting records"),
    "label.file": ("文件", "File"), "label.kind": ("类型", "Kind"), "label.class": ("班级", "Class"),
    "label.status": ("状态", "Status"), "label.reason": ("说明", "Reason"), "label.fill_date": ("填表日期", "Fill date"),
    "label.read": ("读取行数", "Rows read"), "label.accepted": ("采用行数", "Rows accepted"),
    "label.rejected_n": ("退回行数", "Rows rejected"), "label.errors": ("错误", "Errors"),
    "label.warnings": ("警告", "Warnings"), "label.source": ("来源文件", "Source file"),
    "label.source_row": ("来源行", "Source row"), "label.sheet": ("工作表", "Sheet"), "label.row": ("行号", "Row"),
    "label.content": ("内容", "Content"), "label.mail_from": ("发件人", "Mail from"),
    "label.mail_date": ("邮件日期", "Mail date"), "label.mail_subject": ("邮件主题", "Mail subject"),
    "label.older": ("较早版本", "Older version"), "label.kept": ("采用的版本", "Version kept"),
    "label.kept_file": ("采用的文件", "File used"), "label.kept_content": ("采用的内容", "Content used"),
    "label.other_file": ("未采用的文件", "File not used"), "label.other_content": ("未采用的内容", "Content not used"),
    "label.sha256": ("SHA-256", "SHA-256"),
    "label.grid_prefix": ("达标-", "Grid-"),
    "status.accepted": ("采用", "accepted"), "status.superseded": ("被取代", "superseded"),
    "status.rejected": ("退回", "rejected"), "status.skipped": ("跳过", "skipped"),
    "kind.class": ("班级工作簿", "class workbook"), "kind.mentor": ("导师工作手册", "mentor workbook"),
    "kind.assessment": ("考核数据", "assessment data"), "kind.unknown": ("未知工作簿", "unknown workbook"),
    "kind.other": ("其他文件", "other file"),
    "book.merged": ("合并数据", "Merged data"),
    "book.summary": ("全员育人导师制汇总", "Mentor system summary"),
    "book.feedback": ("班级反馈 {cls}", "Class feedback {cls}"),
    "book.annotated": ("批注副本 {name}", "Annotated copy {name}"),
    # -- compliance grids ------------------------------------------------------------------------------------------
    "grid.title": ("{cls} 谈心与家长联系达标情况（截至 {date}）", "{cls}: talks and parent contacts as of {date}"),
    "grid.mentor": ("导师", "Mentor"), "grid.student": ("学生", "Student"),
    "grid.talk": ("谈心", "talk"), "grid.parent": ("家长联系", "parent"),
    "grid.met": ("已完成", "met"), "grid.missed": ("未完成", "missed"),
    "grid.exempt": ("假期/考试周免除", "exempt (holiday or exam week)"),
    "grid.unpaired": ("尚未结对或已离校", "not paired or left"), "grid.future": ("未到期", "not yet due"),
    "grid.sheet": ("达标表", "Grid"),
    # -- the summary and the feedback books ------------------------------------------------------------------------
    "band.on_track": ("达标", "on track"), "band.needs_attention": ("需关注", "needs attention"),
    "band.off_track": ("未达标", "off track"), "band.no_mentees": ("无受导学生", "no mentees"),
    "recognition.community": ("优秀学生发展共同体", "outstanding community"),
    "recognition.pacesetter": ("进步小标兵", "progress pacesetter"), "recognition.mentor": ("优秀导师", "outstanding mentor"),
    "recognition.star": ("乐于助人小明星", "helpful star"), "recognition.mentor_year": ("学年优秀导师", "mentor of the year"),
    "fig.open_flags": ("待处理的需学校关注（人）", "Open school-attention flags (students)"),
    "fig.principal_met": ("校长专题会议（已开月数）", "Principal's meetings (months held)"),
    "fig.principal_due": ("校长专题会议（应开月数）", "Principal's meetings (months due)"),
    "fig.no_leader": ("无包靠领导的重点关注学生", "Attention students without a school leader"),
    "fb.reports": ("学生汇报（已/应，半月）", "Student reports (made/due, half-months)"),
    "fb.reflections": ("共同体心得（已交/应交）", "Community reflections (in/due)"),
    "fb.community_class": ("共同体汇报会（已开/应开，月）", "Community report meetings (held/due, months)"),
    "severity.error": ("错误", "error"), "severity.warning": ("警告", "warning"),
    "scheme.points": ("积分方案", "points scheme"), "scheme.four_party": ("四方评议方案", "four-party scheme"),
    "plan.on_time": ("按时", "on time"), "plan.late": ("未按时", "late"), "plan.not_due": ("未到期", "not yet due"),
    "sum.sheet.overview": ("概览", "Overview"), "sum.sheet.teachers": ("导师考核", "Mentor scores"),
    "sum.sheet.classes": ("班级达标", "Classes"), "sum.sheet.mentors": ("导师达标", "Mentor compliance"),
    "sum.sheet.attention": ("重点关注学生", "Attention students"), "sum.sheet.recognition": ("表彰建议", "Recognition"),
    "sum.sheet.problems": ("数据问题", "Data problems"), "sum.sheet.files": ("收到的文件", "Files"),
    "sum.sheet.missing": ("未交或逾期", "Missing or late"),
    "sum.todo": ("需要处理", "To act on"), "sum.figure": ("项目", "Item"), "sum.value": ("数值", "Value"),
    "sum.missing": ("未交文件", "no file"), "sum.late": ("逾期未更新", "not updated"),
    "sum.ranking_note": ("说明：排名只按{scheme}的考核总分；达标状态（谈心、家长联系是否按时）另行统计，不影响排名。",
                         "Note: the ranking follows the {scheme} total only; compliance (talks and parent contacts "
                         "on time) is measured separately and does not change the rank."),
    "sum.band_legend": ("颜色：绿色 达标（≥ {on}），黄色 需关注（{mid} 至 {on}），红色 未达标（< {mid}）。",
                        "Colours: green on track (≥ {on}), yellow needs attention ({mid} to {on}), "
                        "red off track (< {mid})."),
    "fig.missing_classes": ("未交文件的班级", "Classes without a file"),
    "fig.late_classes": ("逾期未更新的班级", "Classes not updated"),
    "fig.overdue_students": ("当前逾期未谈心/未联系家长的学生", "Students overdue for a talk or parent contact"),
    "fig.off_track_teachers": ("未达标的导师", "Mentors off track"),
    "fig.data_errors": ("数据错误", "Data errors"), "fig.data_warnings": ("数据警告", "Data warnings"),
    "fig.classes": ("班级数", "Classes"), "fig.students": ("学生数", "Students"), "fig.mentors": ("导师数", "Mentors"),
    "fig.talk_rate": ("谈心达标率", "Talk rate"), "fig.parent_rate": ("家长联系达标率", "Parent-contact rate"),
    "fig.attention_students": ("重点关注学生", "Attention students"),
    "fig.escalated_students": ("需学校关注的学生", "Students for the school's attention"),
    "chart.by_class": ("各班达标率", "Compliance by class"), "chart.rate": ("达标率", "Rate"),
    "chart.scores": ("导师考核总分分布", "Mentor totals"),
    "chart.bin": ("总分区间（含下限，不含上限）", "Total (lower end included)"),
    "chart.mentors": ("导师人数", "Mentors"), "chart.students": ("学生人数", "Students"),
    "chart.attention": ("重点关注学生（按类别）", "Attention students by category"),
    "col.class": ("班级", "Class"), "col.teacher_id": ("工号", "Teacher ID"), "col.name": ("姓名", "Name"),
    "col.mentees": ("受导人数", "Mentees"), "col.base": ("基础分", "Base"), "col.grades": ("成绩", "Grades"),
    "col.conduct": ("德育", "Conduct"), "col.satisfaction": ("满意度", "Satisfaction"),
    "col.deductions": ("扣分", "Deductions"), "col.total": ("总分", "Total"), "col.rank": ("排名", "Rank"),
    "col.status": ("达标状态", "Compliance"), "col.talk_rate": ("谈心达标率", "Talk rate"),
    "col.parent_rate": ("家长联系达标率", "Parent-contact rate"), "col.classes": ("任导班级", "Classes"),
    "col.file": ("文件", "File"), "col.severity": ("级别", "Severity"), "col.sheet": ("工作表", "Sheet"),
    "col.cell": ("单元格", "Cell"), "col.message": ("说明", "Message"), "col.student_id": ("学号", "Student ID"),
    "col.attention": ("关注类别", "Attention"), "col.mentor": ("导师", "Mentor"),
    "col.last_talk": ("最近谈心", "Last talk"), "col.last_parent_contact": ("最近家长联系", "Last parent contact"),
    "col.escalated": ("需学校关注", "School attention"), "col.leader": ("包靠领导", "School leader"),
    "col.parent_phone": ("家长电话", "Parent phone"), "col.note": ("备注", "Note"),
    "col.students": ("学生数", "Students"), "col.study_expected": ("应开学情研究(周)", "Study weeks due"),
    "col.study_met": ("已开学情研究(周)", "Study weeks held"),
    "col.community_expected": ("应开共同体活动(月)", "Community months due"),
    "col.community_met": ("已开共同体活动(月)", "Community months held"),
    "col.attention_students": ("重点关注学生", "Attention students"),
    "col.escalated_students": ("需学校关注", "School attention"),
    "col.talk_expected": ("应谈心(期)", "Talks due"), "col.talk_met": ("已谈心(期)", "Talks held"),
    "col.parent_expected": ("应联系家长(月)", "Contacts due"), "col.parent_met": ("已联系家长(月)", "Contacts made"),
    "col.plan": ("学期计划", "Term plan"), "col.category": ("类别", "Category"), "col.grade": ("年级", "Grade"),
    "col.who": ("对象", "Who"), "col.id": ("编号", "ID"), "col.basis": ("依据", "Basis"),
    "col.situation": ("情况", "Situation"), "col.latest_fill_date": ("最新填表日期", "Latest fill date"),
    "col.days_since": ("距今天数", "Days since"), "col.talks_done": ("谈心(已/应)", "Talks (held/due)"),
    "col.talks_missing": ("缺谈心的周期", "Periods without a talk"),
    "col.contacts_done": ("家长联系(已/应)", "Contacts (made/due)"),
    "col.contacts_missing": ("缺联系的月份", "Months without a contact"), "col.matter": ("事项", "Matter"),
    "col.last": ("最近一次", "Last"),
    "fb.sheet.overview": ("概况", "Overview"), "fb.sheet.gaps": ("未完成的周期", "Unfinished periods"),
    "fb.sheet.overdue": ("当前逾期", "Overdue now"), "fb.sheet.scores": ("导师得分", "Mentor scores"),
    "fb.sheet.problems": ("数据问题", "Data problems"), "fb.sheet.rejected": ("未采用的行", "Rejected rows"),
    "fb.sheet.lost": ("版本间缺失的行", "Rows lost between versions"),
    "fb.sheet.conflicts": ("冲突的记录", "Conflicting records"),
    "fb.as_of": ("统计截至", "As of"), "fb.study": ("学情研究（已开/应开，周）", "Class studies (held/due, weeks)"),
    "fb.community": ("共同体活动（已开/应开，共同体·月）", "Community activities (held/due, community-months)"),
    "fb.problems": ("数据问题", "Data problems"), "fb.colours": ("颜色说明", "Colours"), "fb.never": ("从未", "never"),
    # -- annotated copies -----------------------------------------------------------------------------------------
    "annotate.sheet": ("问题清单", "Problems"),
    "annotate.col.severity": ("级别", "Severity"), "annotate.col.sheet": ("工作表", "Sheet"),
    "annotate.col.cell": ("单元格", "Cell"), "annotate.col.column": ("列", "Column"), "annotate.col.value": ("值", "Value"),
    "annotate.col.message": ("说明", "Message"), "annotate.col.category": ("问题类别", "Category"),
    "annotate.col.code": ("代码", "Code"),
    "annotate.footnote": ("红色：错误；黄色：警告；点单元格看批注", "red: error; yellow: warning; see each cell's comment"),
    "category.file": ("文件", "file"), "category.sheet": ("工作表", "sheet"), "category.column": ("列", "column"),
    "category.cell": ("单元格", "cell"), "category.value": ("取值", "value"), "category.relation": ("前后对应", "cross-check"),
    "category.pairing": ("结对结构", "pairing structure"),
    # -- blank templates ------------------------------------------------------------------------------------------
    "tpl.sheet": ("说明", "Instructions"),
    "tpl.title": ("{title} 填写说明", "{title}: how to fill it in"),
    "tpl.version": ("模板版本：{version}", "Template version: {version}"),
    "tpl.line1": ("1. 每张工作表第一行是表头，带 * 的列必须填写；请不要改动表头文字（可以调整列的顺序、增加自己的列）。",
                  "1. The first row of every sheet is its header; columns marked * are required. Do not change the "
                  "header texts (you may reorder columns or add your own)."),
    "tpl.line2": ("2. 有下拉箭头的单元格请从列表中选择；日期写成 2026-09-01 或 2026年9月1日。",
                  "2. Pick values from the dropdown where there is one; write dates as 2026-09-01."),
    "tpl.line3": ("3. 学号、工号按文本填写，开头的 0 会保留。", "3. Student and teacher IDs are text: leading zeros are kept."),
    "tpl.privacy.class": ("4. 隐私：家长电话、备注、谈心内容、学生档案只留在本班文件中，学校汇总只统计次数和类别。",
                          "4. Privacy: parents' phone numbers, notes, talk summaries and archives stay in this class's "
                          "file; the school's summary counts them only."),
    "tpl.privacy.mentor": ("4. 隐私：谈心内容、家长联系内容、学生档案只用于本班反馈，学校汇总只统计次数和类别。",
                           "4. Privacy: talk and contact summaries and archives are used for the class's feedback only; "
                           "the school's summary counts them only."),
    "tpl.privacy.assessment": ("4. 扣分事由只用于考核，学校汇总中不显示原文。",
                               "4. Reasons for deductions are used for the assessment only; the summary never shows "
                               "their text."),
    "tpl.line_mentor": ("5. 每一行写明学生所在班级；导师工号可以不填（即本人）。同一条记录写在班级工作簿里也没关系，只计一次。",
                        "5. Write the student's class on every row; the mentor ID may stay empty (yourself). A record "
                        "also written in the class workbook counts once."),
    "tpl.col.sheet": ("工作表", "Sheet"), "tpl.col.column": ("列", "Column"), "tpl.col.help": ("说明", "Help"),
    "tpl.required": ("（必需）", " (required)"), "tpl.optional": ("（可选）", " (optional)"),
    "tpl.choices": ("（可选值：{choices}）", " (values: {choices})"),
    "tpl.item": ("项目", "Item"), "tpl.value": ("内容", "Value"),
    "tpl.pick": ("请从下拉列表选择：{choices}", "Pick from the list: {choices}"),
    "tpl.pick_short": ("请从下拉列表选择", "Pick from the list"),
    "tpl.wrong": ("输入有误", "Invalid entry"), "tpl.date": ("请输入日期，如 2026-09-01", "Enter a date, e.g. 2026-09-01"),
    "tpl.bad_date": ("日期有误", "Invalid date"),
    "tpl.multi": ("可填多个，用“、”分隔：{choices}", "Several allowed, separated by 、: {choices}"),
    "tpl.number": ("请输入数字", "Enter a number"),
    "tpl.toml_kept": ("{path} 已存在且与新模板不同，未覆盖；新文件写入 {new}（加 --force 覆盖）",
                      "{path} exists and differs from the new template: kept; the new file is {new} (--force "
                      "overwrites)"),
    # -- the command line --------------------------------------------------------------------------------------
    "cli.no_file": ("找不到文件：{files}", "no such file: {files}"),
    "cli.no_folder": ("找不到收件目录：{path}", "no such folder: {path}"),
    "cli.error": ("错误：{error}", "error: {error}"),
    "cli.file_line": ("{path}  [{kind}]  {state}：{counts}", "{path}  [{kind}]  {state}: {counts}"),
    "cli.valid": ("通过", "valid"), "cli.invalid": ("有错误", "invalid"),
    "cli.counts": ("{errors} 个错误，{warnings} 个警告", "{errors} errors, {warnings} warnings"),
    "cli.annotated": ("批注副本：{path}", "annotated copy: {path}"),
    "cli.waiting": ("另一个 run 正在写入 {out}，等待它结束…", "another run is writing {out}, waiting…"),
    "cli.bad_poll": ("--poll 应为正数（秒）", "--poll must be a positive number of seconds"),
    "cli.watching": ("正在监视 {path}，按 Ctrl-C 停止", "watching {path}, Ctrl-C to stop"),
    "cli.stopped": ("已停止", "stopped"),
    "cli.assigned": ("已分配 {n} 名学生，{granted} 人得到了自己的志愿，未能分配 {unmatched} 人 → {out}",
                     "{n} students assigned, {granted} got one of their choices, {unmatched} unmatched → {out}"),
    "cli.no_mailbox": ("无法连接邮箱：{error}", "cannot reach the mailbox: {error}"),
    "cli.fetched": ("读取 {n} 封新邮件，保存 {saved} 个表格附件到 {inbox}",
                    "{n} new messages read, {saved} spreadsheet attachments saved to {inbox}"),
    "cli.mail.sent": ("发送 {n} 个班级的反馈", "sent the feedback of {n} classes"),
    "cli.mail.wrote": ("写出 {n} 个班级的反馈", "wrote the feedback of {n} classes"),
    "cli.mail.failed": ("，失败 {n} 个", ", {n} failed"),
    "cli.mail.skipped": ("，{n} 个已发送且未改变，未重发（--resend 可重发）",
                         ", {n} already sent and unchanged (--resend sends them again)"),
    "cli.run.item": ("项目", "item"), "cli.run.count": ("数量", "count"),
    "cli.run.files_accepted": ("文件：采用", "files accepted"),
    "cli.run.files_superseded": ("文件：被新版本取代", "files superseded"),
    "cli.run.files_rejected": ("文件：退回", "files rejected"), "cli.run.files_skipped": ("文件：跳过", "files skipped"),
    "cli.run.rows_read": ("行：读取", "rows read"), "cli.run.rows_accepted": ("行：采用", "rows accepted"),
    "cli.run.rows_rejected": ("行：退回（有错误）", "rows rejected (errors)"),
    "cli.run.rows_superseded": ("行：在被取代的旧版本中", "rows in superseded versions"),
    "cli.run.rows_lost": ("行：版本间缺失", "rows lost between versions"),
    "cli.run.errors": ("错误", "errors"), "cli.run.warnings": ("警告", "warnings"),
    "cli.run.talk_rate": ("谈心达标率", "talk rate"), "cli.run.parent_rate": ("家长联系达标率", "parent-contact rate"),
    "cli.run.overdue": ("当前逾期的学生", "students overdue now"),
    "cli.run.rejected": ("退回", "rejected"), "cli.run.n_errors": ("{n} 个错误", "{n} errors"),
    "cli.run.file_state": ("{name}：{state}", "{name}: {state}"),
    "cli.run.because": ("（{reason}）", " ({reason})"),
    "cli.run.missing": ("未交文件: {cls}", "missing: {cls}"),
    "cli.run.late": ("逾期未更新：{cls}（填表日期 {date}，已 {days} 天）",
                     "late: {cls} (filled {date}, {days} days ago)"),
    "cli.run.written": ("输出: {path}", "written: {path}"),
    # -- mail ----------------------------------------------------------------------------------------------------
    "mail.subject": ("{cls} 学情反馈（截至 {as_of}）", "{cls}: mentor-system feedback as of {as_of}"),
    "mail.body": ("{head}老师：\n\n附件是{cls}截至 {as_of} 的学情反馈。\n\n"
                  "谈心达标率 {talk}，家长联系达标率 {parent}；有未完成周期的学生 {gaps} 人，当前逾期需跟进的 {overdue} 人。\n"
                  "详细情况、数据问题（含单元格位置）和达标表见附件。\n\n教务处",
                  "Dear {head},\n\nattached is the feedback of {cls} as of {as_of}.\n\n"
                  "Talk rate {talk}, parent-contact rate {parent}; {gaps} students have unfinished periods, {overdue} "
                  "are overdue now.\nThe details, data problems (with their cells) and the grid are in the attachment."
                  "\n\nThe office"),
    # -- periods ---------------------------------------------------------------------------------------------------
    "period.week": ("第{n}周 ({first}–{last})", "week {n} ({first}–{last})"),
    # -- discovery, reading, settings, publishing, mail, console (section A) ----------------------------------------
    "period.first_half": ("{month} 上半月", "{month} 1st half"),
    # -- the forms: 导师分工明细表, 导师工作手册, assign's 分配说明 (section B) -------------------------------------------
    "period.second_half": ("{month} 下半月", "{month} 2nd half"),
    # -- the summary's tables, history, school work, recognition, across terms (section C) -------------------------
    # summary: a score's parts, notes and the four-party review
    "sum.col.self": ("自评", "Self"), "sum.col.students_review": ("学生评议", "Students"),
    "sum.col.teachers_review": ("教师评议", "Teachers"), "sum.col.school_review": ("学校评议", "School"),
    "sum.col.explanation": ("说明", "Note"),
    "sum.part.grades": ("成绩", "grades"), "sum.part.conduct": ("德育", "conduct"),
    "sum.part.satisfaction": ("满意度", "satisfaction"), "sum.part.self": ("自评", "self-review"),
    "sum.part.students": ("学生评议", "students' review"), "sum.part.teachers": ("教师评议", "teachers' review"),
    "sum.part.school": ("学校评议", "school's review"),
    "sum.sep": ("、", ", "),
    "sum.score.not_applicable": ("不适用", "n/a"), "sum.score.not_given": ("未交", "missing"),
    "sum.score.scaled": ("{parts}不适用：总分按适用各项满分 {applicable} 分折算为 {full} 分",
                         "{parts} not applicable: the total is scaled from {applicable} to {full} points"),
    "sum.score.zero": ("{parts}无数据，记 0 分", "{parts}: no data, counted as 0"),
    "sum.score.incomplete": ("四方评议不完整：缺{parts}，不计总分、不排名",
                             "four-party review incomplete: {parts} missing, no total, not ranked"),
    "sum.score.no_mentees": ("无受导学生，不考核", "no mentees, not assessed"),
    # summary and feedback books: student reports, the monthly talk summary
    "sum.reports.sheet": ("学生汇报", "Student reports"),
    "sum.reports.done": ("汇报(已/应，半月)", "Reports (made/due, half-months)"),
    "sum.reports.missing": ("缺汇报的半月", "Half-months without a report"),
    "sum.talk_months.sheet": ("谈话月度汇总", "Monthly talk summary"),
    "sum.talk_months.month": ("月份", "Month"), "sum.talk_months.talks": ("谈话次数", "Talks"),
    "sum.talk_months.reached": ("谈到的受导学生", "Mentees reached"), "sum.talk_months.forms": ("形式", "Forms"),
    "sum.talk_months.types": ("类型", "Types"), "sum.talk_months.flagged": ("需学校关注", "For the school's attention"),
    # the sheets across terms (summary; the tracking sheet in the feedback books too)
    "across.sheet.yearly": ("学年优秀导师", "Mentors of the year"),
    "across.sheet.classes": ("班级学期对比", "Classes, term on term"),
    "across.sheet.teachers": ("导师学期对比", "Teachers, term on term"),
    "across.sheet.months": ("月度对比", "Months side by side"),
    "across.sheet.tracking": ("重点关注跟踪", "Attention tracking"),
    "across.term.first": ("第一学期", "Term 1"), "across.term.second": ("第二学期", "Term 2"),
    "across.last_term": ("上学期", "last term"),
    "across.this_term_of": ("本学期{what}", "{what}, this term"), "across.term_of": ("{term}{what}", "{what}, {term}"),
    "across.talk_rate": ("谈心达标率", "talk rate"), "across.parent_rate": ("家长联系达标率", "parent-contact rate"),
    "across.total": ("总分", "score"), "across.talk_change": ("谈心变化", "Talk change"),
    "across.parent_change": ("家长联系变化", "Parent-contact change"), "across.total_change": ("总分变化", "Score change"),
    "across.months.item": ("项目", "Measure"), "across.months.talk": ("谈心达标率", "Talk rate"),
    "across.months.parent": ("家长联系达标率", "Parent-contact rate"),
    "across.months.change": ("较上月变化", "Change on last month"),
    "across.months.note": ("每月：当月结束的各周期的达标率；较上月变化：最近有达标率的一个月减去它的前一个月。",
                           "Each month: the rate of the periods that ended in it; change: the latest month with a "
                           "rate minus the month before it."),
    # the summary's 班级达标: headers short enough in English for the page (the units are in the note)
    "sum.classes.students": ("学生数", "Students"), "sum.classes.talk_rate": ("谈心达标率", "Talk rate"),
    "sum.classes.parent_rate": ("家长联系达标率", "Contact rate"),
    "sum.classes.study_expected": ("应开学情研究(周)", "Studies due"),
    "sum.classes.study_met": ("已开学情研究(周)", "Studies held"),
    "sum.classes.community_expected": ("应开共同体活动(月)", "Community due"),
    "sum.classes.community_met": ("已开共同体活动(月)", "Community held"),
    "sum.classes.attention_students": ("重点关注学生", "Attention"),
    "sum.classes.escalated_students": ("需学校关注", "Escalated"),
    "sum.classes.note": ("学情研究按周计，共同体活动按月计。", "Studies: weekly class studies (weeks); community: community activities (months); "
                             "contact rate: parent contacts; escalated: students for the school's attention."),
    "across.yearly.total": ("{term}总分", "{term} score"), "across.yearly.rank": ("{term}排名", "{term} rank"),
    "across.yearly.talk_rate": ("{term}谈心达标率", "{term} talk rate"),
    "across.yearly.parent_rate": ("{term}家长联系达标率", "{term} parent-contact rate"),
    "across.yearly.status": ("{term}达标状态", "{term} status"),
    "across.yearly.mean": ("学年平均总分", "Year's mean score"), "across.yearly.year_rank": ("学年排名", "Year's rank"),
    "across.yearly.proposed": ("推荐", "Proposed"),
    "across.reason.yearly": ("学年平均总分 {total}（第 {rank} 名）：第一学期 {t1} 分，谈心达标率 {r1}；第二学期 {t2} 分，"
                             "谈心达标率 {r2}；两个学期均达标",
                             "mean score of the year {total} (rank {rank}): term 1 {t1} points, talk rate {r1}; "
                             "term 2 {t2} points, talk rate {r2}; on track in both terms"),
    "across.col.months_on_list": ("在册月数", "Months"), "across.col.transformation": ("转化情况", "Progress"),
    "across.col.flags": ("提示", "Flags"),
    "across.month_cell": ("{talks}/{contacts}/{archive}", "{talks}/{contacts}/{archive}"),
    "across.tracking_note.cells": ("每月一格：谈心次数/家长联系次数/成长档案条数；红色：该月没有谈心。",
                                   "One cell a month: talks/parent contacts/archive entries; red: no talk that month."),
    "across.tracking_note.months": ("在册月数含以前各学期；本月未谈心：统计截至日所在月份尚无谈心。",
                                    "Months: on the attention list, earlier terms included; no talk: none yet in "
                                    "the as-of month."),
    "across.flag.no_talk_this_month": ("本月未谈心", "no talk"),
    "across.flag.relapse": ("反复", "relapse"), "across.flag.escalated": ("需学校关注", "escalated"),
    # recognition: each award's basis
    "assessment.not_checked": ("不检查", "not checked"),
    "assessment.community_name": ("{cls}第{k}共同体", "{cls} community {k}"),
    "assessment.reason.community": ("德育量化 {score} 分，成员谈心达标率 {rate}",
                                    "conduct score {score}, members' talk rate {rate}"),
    "assessment.reason.pacesetter": ("年级百分位由 {before} 升至 {after}（+{change}）",
                                     "percentile in the grade up from {before} to {after} (+{change})"),
    "assessment.reason.mentor": ("考核总分 {total}（第 {rank} 名），谈心达标率 {rate}，达标状态：达标",
                                 "total {total} (rank {rank}), talk rate {rate}, compliance: on track"),
    "assessment.reason.star": ("获 {n} 人推荐（{note}）", "nominated by {n} ({note})"),
    "assessment.star.tied": ("与{names}并列最多", "the most, tied with {names}"),
    "assessment.star.most": ("本班最多", "the most in the class"),
    # the school's own work (summary sheets 学校工作, 待处理关注, 未落实包靠)
    "school_work.sheet": ("学校工作", "School work"), "school_work.open_flags_sheet": ("待处理关注", "Open flags"),
    "school_work.without_leader_sheet": ("未落实包靠", "No leader"),
    "school_work.col.month": ("月份", "Month"), "school_work.col.due": ("专题会议应开", "Meeting due"),
    "school_work.col.meetings": ("专题会议(次)", "Meetings"), "school_work.col.state": ("状态", "State"),
    "school_work.col.studied": ("研究学生(人)", "Students studied"),
    "school_work.col.attention_studied": ("其中重点关注(人)", "of them special attention"),
    "school_work.col.training": ("导师培训(次)", "Trainings"), "school_work.col.forum": ("座谈会(次)", "Forums"),
    "school_work.col.exchange": ("经验交流(次)", "Exchanges"), "school_work.col.other": ("其他(次)", "Other"),
    "school_work.met": ("已开", "held"), "school_work.missed": ("未开", "missing"),
    "school_work.not_due": ("未到期", "not due"), "school_work.unchecked": ("未检查", "not checked"),
    "school_work.total": ("合计", "Total"),
    "school_work.months_expected": ("专题会议应开(月)", "Meeting months due"),
    "school_work.months_met": ("专题会议已开(月)", "Meeting months met"),
    "school_work.students_studied": ("会议研究的学生(人)", "Students studied"),
    "school_work.attention_studied": ("其中重点关注学生(人)", "of them special attention"),
    "school_work.attention_without_leader": ("无包靠领导的重点关注学生(人)", "Special-attention students without a leader"),
    "school_work.open_flags": ("待处理的需学校关注(人)", "Open school-attention flags"),
    "school_work.col.class": ("班级", "Class"), "school_work.col.student_id": ("学号", "Student ID"),
    "school_work.col.name": ("姓名", "Name"), "school_work.col.attention": ("关注类别", "Categories"),
    "school_work.col.mentor_id": ("导师工号", "Mentor ID"), "school_work.col.mentor": ("导师", "Mentor"),
    "school_work.col.opened": ("提出日期", "Opened"), "school_work.col.days_open": ("已过天数", "Days open"),
    "school_work.col.flags": ("需学校关注(次)", "Flags"),
    # history: the ledger's term-by-term figures on the console
    "history.col.school_year": ("学年", "school year"), "history.col.term": ("学期", "term"),
    "history.col.as_of": ("统计截至", "as of"), "history.col.classes": ("班级数", "classes"),
    "history.col.students": ("学生数", "students"), "history.col.teachers": ("导师数", "teachers"),
    "history.col.talk_rate": ("谈心达标率", "talk rate"), "history.col.parent_rate": ("家长联系达标率", "parent-contact rate"),
    "history.col.name": ("姓名", "name"), "history.col.mentor_classes": ("任导班级", "classes"),
    "history.col.mentees": ("受导人数", "mentees"), "history.col.status": ("达标状态", "status"),
    "history.col.total": ("考核总分", "score"), "history.col.rank": ("排名", "rank"),
    "history.col.study_weeks": ("学情研究(已/应,周)", "studies (met/due, weeks)"),
    "history.col.community_months": ("共同体活动(已/应,月)", "community (met/due, months)"),
    "history.col.attention_students": ("重点关注学生", "attention students"),
    "history.col.escalated_students": ("需学校关注", "escalated"), "history.col.class": ("班级", "class"),
    "history.col.mentor_id": ("导师工号", "mentor"), "history.col.talks": ("谈心(已/应)", "talks (met/due)"),
    "history.col.parents": ("家长联系(已/应)", "parent contacts (met/due)"),
    "history.col.archive": ("成长档案(已/应)", "archive (met/due)"),
    "history.no_ledger": ("没有学校台账 {path}：请先运行 run", "no ledger at {path}: run `run` first"),
    "history.unreadable": ("学校台账 {path} 无法读取：{error}", "the ledger {path} cannot be read: {error}"),
    "history.nothing": ("台账中没有这方面的记录", "nothing in the ledger for this"),
    # compliance: frequencies and periods in words
    "compliance.freq.weekly": ("每周一次", "once a week"),
    "compliance.freq.semimonthly": ("每半月一次", "once every half month"),
    "compliance.freq.monthly": ("每月一次", "once a month"),
    "compliance.week_of": ("{m1}月{d1}日—{m2}月{d2}日", "week {first} – {last}"),
    "compliance.first_half_of": ("{year}年{month}月上半月", "first half of {month_name} {year}"),
    "compliance.second_half_of": ("{year}年{month}月下半月", "second half of {month_name} {year}"),
    "compliance.month_of": ("{year}年{month}月", "{month_name} {year}"),
    # books: the grid's symbol for an exempt period
    "books.grid.exempt_symbol": ("休", "H"),
    "books.field_sep": ("；", "; "),  # between the fields of a row shown as one text
}

# -- the schemas' sheets and columns in English (the Chinese names are the schema's own, schema.py) ----------------
SHEET_EN = {
    "class_info": "Class", "mentors": "Mentors", "students": "Students", "talks": "Talks", "contacts": "Parent contacts",
    "studies": "Class studies", "community": "Community activities", "archive": "Growth archive",
    "paperwork": "Plans and summaries", "choices": "Mutual choice", "wishes": "Mentor wishes", "reports": "Student reports",
    "office_info": "Office", "grades": "Grades", "conduct": "Conduct", "satisfaction": "Satisfaction",
    "deductions": "Deductions", "leaders": "School leaders", "four_party": "Four-party review",
    "mentor_info": "Mentor", "mentees": "Mentees", "pair_changes": "Pairing changes", "school_work": "School work",
    "star_nominations": "Helpful-star nominations",
}
FIELD_EN = {
    "transformation": "Transformation", "new_mentor_id": "New mentor ID", "old_mentor_id": "Former mentor ID",
    "nominator": "Nominated by", "enrolled_on": "Enrolled on",
    "school": "School", "school_year": "School year", "term": "Term", "grade": "Grade", "class_name": "Class",
    "head_teacher": "Head teacher", "filled_by": "Filled by", "fill_date": "Fill date", "teacher_id": "Teacher ID",
    "name": "Name", "subject": "Subject", "role": "Role", "phone": "Phone", "email": "Email", "capacity": "Capacity",
    "status": "Status", "student_id": "Student ID", "gender": "Gender", "level": "Level", "community": "Community",
    "mentor_id": "Mentor ID", "mentor_name": "Mentor", "paired_on": "Paired on", "attention": "Attention",
    "left_on": "Left on", "parent_name": "Parent", "parent_phone": "Parent phone", "note": "Note", "date": "Date",
    "teacher_name": "Mentor", "student_name": "Student", "form": "Form", "topic": "Topic", "summary": "Summary",
    "follow_up": "Follow-up", "escalate": "School attention", "way": "Way", "contact_person": "Contact",
    "host": "Host", "attendees": "Attendees", "students": "Students studied", "measures": "Problems and measures",
    "content": "Content", "family": "Family", "morality": "Conduct", "mental": "Mental health",
    "highlights": "Strengths", "improvement": "To improve", "recorder": "Recorded by", "plan_date": "Plan handed in",
    "summary_date": "Summary handed in", "reflection_date": "Reflection handed in", "choice1": "Choice 1",
    "choice2": "Choice 2", "choice3": "Choice 3", "order": "Order", "office": "Office", "previous": "Last term",
    "current": "This term", "score": "Score", "rating": "Rating", "kind": "Kind", "reason": "Reason",
    "leader": "Leader", "self": "Self", "teachers": "Teachers",
}


def sheet_name(spec: Any, lang: str) -> str:
    """A schema sheet's name: the template's own (Chinese) name, or its English name."""
    return SHEET_EN.get(spec.key, spec.name) if lang == "en" else spec.name


def column_header(column: Any, lang: str) -> str:
    """A schema column's header: the template's own, or its English name."""
    return FIELD_EN.get(column.field, column.header) if lang == "en" else column.header
