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


def term_name(term: str | None, lang: str) -> str:
    """A term as the reader says it: 第一学期 / Term 1 (the workbooks' own words in Chinese)."""
    key = {"第一学期": "across.term.first", "第二学期": "across.term.second"}.get(term or "")
    return t(key, lang) if key else (term or "")


def term_label(school_year: str | None, term: str | None, lang: str) -> str:
    """A school year and term as the reader says them: 2026-2027第一学期 / 2026-2027 Term 1."""
    sep = " " if lang == "en" and school_year and term else ""
    return f"{school_year or ''}{sep}{term_name(term, lang)}"


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
    "grid.exempt": ("假期/考试周免除", "holiday or exam"),
    "grid.unpaired": ("尚未结对或已离校", "not paired or left"), "grid.future": ("未到期", "not yet due"),
    "grid.sheet": ("达标表", "Grid"),
    # -- the summary and the feedback books ------------------------------------------------------------------------
    "band.on_track": ("达标", "on track"), "band.needs_attention": ("需关注", "needs attention"),
    "band.off_track": ("未达标", "off track"), "band.no_mentees": ("无受导学生", "no mentees"),
    "recognition.community": ("优秀学生发展共同体", "outstanding community"),
    "recognition.pacesetter": ("进步小标兵", "progress pacesetter"),
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
    "period.first_half": ("{month} 上半月", "{month} 1st half"),
    "period.second_half": ("{month} 下半月", "{month} 2nd half"),
    # -- discovery, reading, settings, publishing, mail, console ------------------------------------------------------
    # inbox: why a file found in the inbox is not read
    "inbox.skip.lock_file": ("Excel/WPS 打开文件时留下的锁文件", "a lock file left by Excel/WPS"),
    "inbox.skip.hidden": ("隐藏文件", "a hidden file"),
    "inbox.skip.temporary": ("临时文件", "a temporary file"),
    "inbox.skip.settings": ("学校设置文件", "the school's settings file"),
    "inbox.skip.outside_link": ("链接指向收件目录之外的文件，不读取", "a link to a file outside the inbox: not read"),
    "inbox.skip.unreachable": ("无法访问（链接无效或文件已被移走）", "cannot be reached (a broken link, or moved away)"),
    "inbox.skip.not_regular": ("不是普通文件（管道、设备等），不读取", "not a regular file (a pipe, a device …): not read"),
    "inbox.skip.mail_too_large": ("邮件过大（{size} MB，上限 {limit} MB，{setting}），未读取",
                                  "the mail is too large ({size} MB, limit {limit} MB, {setting}): not read"),
    "inbox.skip.mail_over_limit": ("邮件过大（超过 {limit} MB 上限 {setting}），未读取",
                                   "the mail is larger than the {limit} MB limit ({setting}): not read"),
    "inbox.skip.mail_unreadable": ("邮件无法读取：{error}", "the mail cannot be read: {error}"),
    "inbox.skip.no_attachment": ("邮件中没有表格附件", "no spreadsheet attached to the mail"),
    "inbox.skip.not_spreadsheet": ("不是表格文件", "not a spreadsheet"),
    "inbox.skip.still_writing": ("文件仍在写入，稍后自动重新处理", "still being written; it is read again automatically"),
    "inbox.out_in_inbox": ("输出目录 {out} 在收件目录 {inbox} 之内；输出不能写进收件目录",
                           "the output folder {out} is inside the inbox {inbox}: outputs must not be written into the "
                           "inbox"),
    "pipeline.no_inbox": ("找不到收件目录：{path}", "no such folder: {path}"),
    # gate and reader: why a file cannot be read (a problem's detail, stored in both languages)
    "gate.cannot_open": ("无法打开：{reason}", "cannot open it: {reason}"),
    "gate.empty": ("空文件", "the file is empty"),
    "gate.too_large": ("{size} MB，上限 {limit} MB", "{size} MB, the limit is {limit} MB"),
    "gate.html": ("这是网页（HTML）文件，只是扩展名为表格", "it is a web page (HTML) with a spreadsheet's name"),
    "gate.xml": ("这是 XML 文本文件，只是扩展名为表格", "it is an XML text file with a spreadsheet's name"),
    "gate.csv": ("这是 CSV/文本文件，只是扩展名为表格", "it is a CSV/text file with a spreadsheet's name"),
    "gate.text": ("这是文本或其他文件", "it is text or another kind of file"),
    "gate.not_regular": ("不是普通文件（管道、设备或文件夹）", "not a regular file (a pipe, a device or a folder)"),
    "gate.zip_incomplete": ("压缩结构不完整，文件可能没有下载或保存完整",
                            "its zip structure is incomplete: the file may not have been fully downloaded or saved"),
    "gate.parts": ("包含 {n} 个部件", "{n} parts"),
    "gate.unpacked": ("解压后共 {mb} MB", "{mb} MB when unpacked"),
    "gate.ratio": ("部件 {part} 压缩比 {ratio}", "part {part} compressed {ratio}"),
    "gate.office_doc": ("这是 {app} 文档", "it is a {app} document"),
    "gate.no_workbook": ("压缩包中没有工作簿", "a zip archive without a workbook"),
    "gate.checksum": ("部件 {part} 校验失败", "part {part} fails its checksum"),
    "gate.unknown_office": ("未知的 {app} 文件", "an unknown kind of {app} file"),
    "reader.extent": ("{rows} 行 × {cols} 列", "{rows} rows × {cols} columns"),
    "reader.sheet_data": ("工作表数据 {mb} MB", "sheet data of {mb} MB"),
    "reader.zip_broken": ("压缩结构损坏", "its zip structure is broken"),
    "reader.xml_malformed": ("内部 XML 内容格式错误", "its XML content is malformed"),
    "reader.ole_broken": ("内部的复合文档结构损坏", "its internal (OLE) structure is broken"),
    "reader.unparsable": ("内容无法解析", "its contents cannot be parsed"),
    "reader.in_sheet": ("工作表“{sheet}”{what}", "sheet '{sheet}': {what}"),
    # validate: problem details, the reader's failures
    "validate.term_span": ("{first} 至 {last}", "{first} to {last}"),
    "validate.attention_categories": ("学校设置中的重点关注类别", "the attention categories in the school's settings"),
    "validate.over_memory": ("内存超过上限 {mb} MB，{setting}", "over the memory limit of {mb} MB, {setting}"),
    "validate.crashed": ("可能内存超限或读取程序崩溃", "out of memory, or the reader crashed"),
    "validate.reader_failed": ("读取程序出错", "the reader failed"),
    # executor: why a worker stopped or cannot start (a WorkerFailure's reason, kept in report.json)
    "executor.over_memory": ("内存超过上限 {mb} MB（{setting}）", "over the memory limit of {mb} MB ({setting})"),
    "executor.out_of_memory": ("内存不足", "out of memory"),
    "executor.died": ("读取进程异常退出（可能内存超限或读取程序崩溃）",
                      "the reader process died (out of memory, or the reader crashed)"),
    "executor.cannot_start": ("读取进程无法启动（{error}），改为在本进程中逐个读取",
                              "worker processes cannot start here ({error}): the files are read one by one in this "
                              "process"),
    "executor.no_main_guard": ("调用 {function} 的脚本缺少 {guard} 保护，读取进程无法启动，改为在本进程中逐个读取"
                               "（没有内存上限与崩溃隔离）",
                               "the script calling {function} has no `{guard}` guard, so worker processes cannot "
                               "start: the files are read one by one in this process (no memory limit, no crash "
                               "isolation)"),
    "executor.no_workers": ("读取进程无法启动，改为在本进程中逐个读取",
                            "worker processes cannot start here: the files are read one by one in this process"),
    # progress bar on a terminal
    "progress.reading": ("读取文件", "reading files"),
    "progress.rows": ("{rows} 行", "{rows} rows"),
    # combine: why a file is rejected or superseded
    "combine.unreadable": ("无法读取", "cannot be read"),
    "combine.unknown": ("不是班级学情工作簿或学校考核数据工作簿", "not a class or assessment workbook"),
    "combine.no_class": ("班级信息中没有班级名称，无法归入任何班级", "the class information sheet has no class name"),
    "combine.no_teacher": ("基本信息中没有工号，无法确定是哪位导师的工作手册", "the information sheet has no teacher id"),
    "combine.no_term": ("班级信息中的学年或学期缺失或无效，无法确定是哪个学期的文件",
                        "the class information sheet has no valid school year or term"),
    "combine.strict": ("严格模式：文件有 {n} 个错误，整份退回", "strict mode: {n} errors, the whole file is rejected"),
    "combine.superseded": ("已被较新的版本“{name}”取代", "superseded by the newer version '{name}'"),
    # the cells the office sees
    "privacy.hidden": ("（内容不显示）", "(not shown)"),
    "celltext.cut": ("超出单元格上限，已截断", "cut at the cell's limit"),
    # the command line: --help texts
    "cli.help.prog": ("全员育人导师制工作簿引擎：模板、校验、合并、考核。", "Mentor-system workbook engine: templates, "
                      "validation, combining, assessment."),
    "cli.help.config": ("学校设置文件", "the school's settings file"),
    "cli.help.lang": ("语言：zh 或 en（默认取环境变量 {env}，否则 zh）",
                      "language: zh or en (default: the variable {env}, else zh)"),
    "cli.help.templates": ("写出空白模板", "write the blank templates"),
    "cli.desc.templates": ("写出班级学情工作簿、学校考核数据工作簿和带注释的 {toml}。",
                           "Write the class workbook, the assessment workbook and a commented {toml}."),
    "cli.help.templates_dir": ("输出目录（默认 {default}）", "output folder (default: {default})"),
    "cli.help.force": ("覆盖已修改的文件（默认另存为 {new}）", "overwrite edited files (default: write {new} beside them)"),
    "cli.help.validate": ("校验工作簿", "validate workbooks"),
    "cli.desc.validate": ("校验工作簿，逐个单元格列出问题。退出码：0 无错误，1 有错误，2 用法错误。",
                          "Validate workbooks and list each problem at its cell. Exit codes: 0 no errors, 1 errors, "
                          "2 usage error."),
    "cli.help.files": ("要校验的工作簿", "the workbooks to validate"),
    "cli.help.json_out": ("写出 {json} 报告（- 表示标准输出）", "write a {json} report (- for standard output)"),
    "cli.help.annotate": ("写出标注了问题单元格的副本", "write copies with the problem cells marked"),
    "cli.help.run": ("处理收件目录", "run the office's job on an inbox folder"),
    "cli.desc.run": ("读取收件目录中的全部工作簿：校验、选定每个班级的最新版本、合并，写出报告和合并数据工作簿。"
                     "退出码：0 全部采用且无错误，1 有错误或退回的文件，2 用法错误，3 输出无法写入（原有输出保持不变）。",
                     "Read every workbook in the inbox: validate, pick each class's newest version, combine, write "
                     "the report and the merged book. Exit codes: 0 all accepted without errors, 1 errors or "
                     "rejected files, 2 usage error, 3 the outputs cannot be written (the previous ones are kept)."),
    "cli.help.watch": ("监视收件目录，有新文件就重新处理", "re-run whenever the inbox changes"),
    "cli.desc.watch": ("监视收件目录，新文件写完后自动重新运行 {run}；按 {ctrl_c} 停止。",
                       "Watch the inbox and re-run {run} once new files are complete; {ctrl_c} stops."),
    "cli.help.inbox": ("收件目录", "the folder where class files land"),
    "cli.help.out": ("输出目录（不能在收件目录内）", "the output folder (not inside the inbox)"),
    "cli.help.as_of": ("统计截止日期，默认今天（不晚于学期结束）", "the as-of date, default today (at most the term's end)"),
    "cli.help.workers": ("并行进程数，默认全部核心", "worker processes, default one per core"),
    "cli.help.handbooks": ("另为每位导师写出《导师工作手册》（{path}）",
                           "also write each teacher's printable handbook ({path})"),
    "cli.help.debounce": ("文件停止变化多少秒后再运行（默认 2）；文件一直在变时最多再等 5 倍这么久",
                          "seconds of quiet before a run (default 2); at most 5 times as long while files keep "
                          "changing"),
    "cli.help.poll": ("每隔多少秒扫描一次目录，而不依赖变更通知（网络共享文件夹用）",
                      "scan every SECONDS instead of waiting for change events (network shares)"),
    "cli.help.assign": ("双向选择：分配导师或共同体", "pair students with mentors (mutual choice)"),
    "cli.desc.assign": ("按双向选择为学生分配导师（{students}），或先分共同体再与导师互选（{communities}）；"
                        "写出一份新的工作簿，不改动输入文件。",
                        "Pair students with mentors by their mutual choices ({students}), or form communities first "
                        "and pair them with mentors ({communities}); writes a new workbook, the input is not "
                        "changed."),
    "cli.help.class_workbook": ("班级学情工作簿", "the class workbook"),
    "cli.help.assign_out": ("写出的新工作簿", "the new workbook to write"),
    "cli.help.mode": ("分配方式（默认取学校设置）", "how to pair (default: the school's settings)"),
    "cli.help.groups": ("共同体个数（默认取学校设置）", "number of communities (default: the school's settings)"),
    "cli.help.seed": ("随机种子：同一种子结果相同", "random seed: the same seed gives the same result"),
    "cli.help.repair": ("只为离岗导师的学生（或共同体）重新结对", "pair again only the students (or communities) of "
                        "mentors who left"),
    "cli.help.date": ("结对日期（默认今天）", "the pairing date (default today)"),
    "cli.help.json_result": ("写出 {json} 结果（- 表示标准输出）", "write the result as {json} (- for standard output)"),
    "cli.help.history": ("学校台账中逐学期的数字", "term-by-term figures from the ledger"),
    "cli.desc.history": ("按学校台账列出逐学期的数字：某位导师（{teacher} 工号）、某个班级（{cls}）、某个学生（{student} 学号），"
                         "或不指定时全校。只读，不改动台账。",
                         "Term-by-term figures from the school's ledger: one teacher ({teacher} ID), one class "
                         "({cls}), one student ({student} ID), or the whole school. Read only."),
    "cli.help.ledger_out": ("{run} 的输出目录（学校台账所在）", "the output folder of {run} (where the ledger is)"),
    "cli.help.teacher": ("导师工号", "the teacher's ID"), "cli.help.class": ("班级名称", "the class name"),
    "cli.help.student": ("学生学号", "the student's ID"),
    "cli.metavar.teacher": ("工号", "ID"), "cli.metavar.class": ("班级", "CLASS"),
    "cli.metavar.student": ("学号", "ID"),
    "cli.help.as_json": ("以 {json} 输出", "print {json}"),
    "cli.help.new_term": ("用学校台账预填下学期的工作簿", "next term's workbooks from the ledger"),
    "cli.desc.new_term": ("按学校台账（{run} 的输出目录中的 {ledger}）写出下学期的班级学情工作簿和导师工作手册："
                          "班级信息、导师（去掉离岗）、学生名册（去掉转出）、结对和共同体沿用，记录表为空。"
                          "到新学年时各班升一个年级（{grades}），最高年级毕业不再写出，双向选择表列出全班学生。",
                          "Write next term's class and mentor workbooks from the school's ledger ({ledger} in the "
                          "output folder of {run}): class information, mentors (without those who left), the roll "
                          "(without those who moved away), pairings and communities carried over, record sheets "
                          "empty. In a new school year every class moves up a grade ({grades}); the highest grade "
                          "graduates and is not written; the mutual-choice sheet lists the whole class."),
    "cli.help.to": ("写出新工作簿的目录", "the folder for the new workbooks"),
    "cli.help.term": ("新学期（默认台账中最近学期的下一个学期）", "the new term (default: the one after the ledger's "
                      "latest)"),
    "cli.help.year": ("新学年，如 2027-2028（升年级）", "the new school year, like 2027-2028 (classes move up)"),
    "cli.help.fetch_mail": ("从邮箱收取班级文件", "copy attachments from a mailbox into INBOX"),
    "cli.desc.fetch_mail": ("把邮箱中未读邮件的表格附件复制到收件目录（同一封邮件不会收两次），并标为已读。"
                            "密码取自设置中 {password_env} 指定的环境变量。设置 {receipts} 时，"
                            "每个收到的文件立即检查，并给发件人回信一次：检查通过，或问题清单和标注副本。",
                            "Copy the spreadsheet attachments of unread messages into INBOX (never twice) and mark "
                            "them read. The password comes from the environment variable named by {password_env}. "
                            "With {receipts}, each file received is checked at once and its sender gets one reply: "
                            "accepted, or the list of problems and a marked copy."),
    "cli.help.mail_inbox": ("收件目录", "the inbox folder"),
    "cli.help.send_feedback": ("把班级反馈发给班主任", "email each class its feedback book"),
    "cli.desc.send_feedback": ("把输出目录中每个班级的反馈工作簿（按 {report} 的记录）发给该班班主任；"
                               "某个班发送失败或超时（{timeout}）会报告，不影响其他班。已发给同一收件人且"
                               "未改变的工作簿不再发送（记录在 {log}），除非 {resend}。{dry_run} 只写出 {eml} 文件。",
                               "Email each class's feedback book (as {report} records it) to its head teacher; a "
                               "class whose mail fails or times out ({timeout}) is reported without stopping the "
                               "others. A book already sent unchanged to the same recipient is not sent again "
                               "(recorded in {log}) unless {resend}. {dry_run} only writes {eml} files."),
    "cli.help.run_out": ("{run} 的输出目录", "the output folder of {run}"),
    "cli.help.dry_run": ("不发送，把邮件写成 {eml} 文件放到 {dir}", "do not send: write the messages as {eml} files into {dir}"),
    "cli.help.resend": ("已发送过的反馈也重新发送", "send again what was already sent"),
    # the command line: what commands print
    "cli.bad_as_of": ("{option} 应为 {format} 格式的日期，而不是“{text}”", "{option} must be a date as {format}, not '{text}'"),
    "cli.force_exit": ("{seconds} 秒内未能正常停止，强制退出", "did not stop within {seconds} s: exiting"),
    "cli.receipt_sent": ("已给 {to} 回执：{name}", "receipt for {name} sent to {to}"),
    "cli.receipt_failed": ("{name} 的回执未发出：{reason}", "no receipt for {name}: {reason}"),
    "cli.no_outdir": ("找不到输出目录：{path}", "no such folder: {path}"),
    "cli.new_term": ("{term}：由 {source} 写出 {classes} 个班级学情工作簿、{mentors} 个导师工作手册 → {to}",
                     "{term}: {classes} class workbooks and {mentors} mentor workbooks from {source} → {to}"),
    "cli.list_sep": ("、", ", "),
    "cli.graduated": ("毕业离校（不再写出）：{classes}", "graduated (not written): {classes}"),
    # publishing: why the outputs cannot be written (exit code 3; the previous outputs are kept)
    "publish.disk_full": ("磁盘空间不足，无法写入 {path}：请清理磁盘空间后重新运行",
                          "no space left on the disk while writing {path}: free some space and run again"),
    "publish.read_only": ("{path} 所在的磁盘是只读的：请换一个输出目录", "{path} is on a read-only disk: choose another "
                          "output folder"),
    "publish.locked": ("无法写入 {path}：文件可能正在被其他程序打开（请先在 Excel/WPS 中关闭它），或没有写入权限",
                       "cannot write {path}: it is open in another program (close it in Excel/WPS first) or the "
                       "folder is not writable"),
    "publish.not_a_folder": ("{path} 是一个文件而不是文件夹：请指定一个输出目录",
                             "{path} is a file, not a folder: choose an output folder"),
    "publish.cannot_write": ("无法写入 {path}：{error}", "cannot write {path}: {error}"),
    "publish.busy": ("另一个 {run} 正在写入输出目录 {out}，等待 {seconds} 秒后仍未结束；请稍后再试",
                     "another {run} is still writing {out} after {seconds} s: try again later"),
    "publish.link_out": ("输出路径 {path} 经过一个指向输出目录之外的链接：请删除该链接后重新运行",
                         "{path} goes through a link leading out of the output folder: remove the link and run again"),
    # mail: receipts to senders (fetch-mail, [mail] receipts) in the command's language
    "receipt.kind.class": ("班级学情工作簿", "class workbook"), "receipt.kind.mentor": ("导师工作手册", "mentor workbook"),
    "receipt.kind.assessment": ("学校考核数据", "assessment workbook"),
    "receipt.kind.unknown": ("未识别的工作簿", "unrecognised workbook"),
    "receipt.kind_class": ("{kind}，{cls}", "{kind}, {cls}"),
    "receipt.subject_ok": ("回执：已收到《{name}》，检查通过", "Receipt: {name} received and accepted"),
    "receipt.subject_warnings": ("回执：已收到《{name}》，检查通过（{warnings} 条提示）",
                                 "Receipt: {name} received and accepted ({warnings} warnings)"),
    "receipt.subject_errors": ("回执：《{name}》有 {errors} 个错误，请修改后重新发送",
                               "Receipt: {name} has {errors} errors; please correct and send it again"),
    "receipt.subject_unreadable": ("回执：《{name}》无法读取，请重新发送",
                                   "Receipt: {name} could not be read; please send it again"),
    "receipt.greeting": ("您好：", "Hello,"),
    "receipt.received": ("已收到您{date}发来的《{name}》（{what}）。", "We received {name} ({what}){date}."),
    "receipt.on": ("于 {date} ", ", sent on {date}"),
    "receipt.ok": ("检查通过，没有发现问题。文件已放入收件目录，将在下次汇总时使用。",
                   "It passed every check. It is in the inbox and will be used in the next run."),
    "receipt.warnings": ("检查通过，另有 {warnings} 条提示（不影响采用），见下方；附件是标注了提示的副本（黄色单元格带批注）。",
                         "It passed the checks, with {warnings} warnings (the file is still used), listed below; the "
                         "attached copy marks them (yellow cells with comments)."),
    "receipt.errors": ("发现 {errors} 个错误、{warnings} 个警告。有错误的行（缺少必需工作表等时整份文件）不会被采用，"
                       "请修改后重新发送，并更新“{fill_date}”。附件是标注了问题的副本：红色为错误，黄色为警告，"
                       "每个单元格有批注，第一页“{listing}”可点击跳转到单元格。",
                       "We found {errors} errors and {warnings} warnings. Rows with errors (or the whole file, when a "
                       "required sheet is missing) are not used: please correct them, update {fill_date} and send the "
                       "file again. The attached copy marks every problem: red for errors, yellow for warnings, each "
                       "cell with a comment, and a first sheet, {listing}, with links to the cells."),
    "receipt.unreadable": ("文件无法读取，未能检查，请确认是 Excel 工作簿（{formats}）后重新发送。",
                           "The file could not be read, so it was not checked: please make sure it is an Excel "
                           "workbook ({formats}) and send it again."),
    "receipt.list": ("问题清单：", "Problems:"),
    "receipt.more": ("……另有 {more} 条，见附件。", "... and {more} more: see the attachment."),
    "receipt.item": ("{n}. [{severity}] {where}{message}", "{n}. [{severity}] {where}{message}"),
    "receipt.where": ("{where}：", "{where}: "),
    "receipt.signature": ("{sender}\n（此邮件由系统自动发送，请勿直接回复本邮件讨论问题）", "{sender}\n(sent automatically)"),
    "receipt.office": ("教务处", "Academic office"),
    # mail: why a receipt or a class's feedback was not sent
    "mail.receipt_gone": ("文件已不在收件目录中，未发回执", "the file is no longer in the inbox: no receipt sent"),
    "mail.book_changed": ("反馈工作簿已改变或缺失，请重新运行 {run}", "the feedback book has changed or is missing: {run} "
                          "again"),
    "mail.no_recipient": ("没有收件人：请在导师名单的邮箱列或 {setting} 中填写",
                          "no recipient: fill in the mentor list's e-mail column or {setting}"),
    "mail.bad_recipient": ("收件人邮箱“{to}”不是一个有效地址，请在导师名单的邮箱列中改正",
                           "the recipient '{to}' is not one valid address: correct the mentor list's e-mail column"),
    "mail.no_book": ("没有这个班级的反馈工作簿", "this class has no feedback book"),
    "mail.refused": ("邮件服务器拒收：{error}", "refused by the mail server: {error}"),
    "mail.not_sent": ("发送失败：{error}", "not sent: {error}"),
    "mail.timeout": ("超过 {seconds} 秒仍未发送完成（邮件服务器响应过慢），已放弃；可调整 {setting}",
                     "not sent within {seconds} s (the mail server is too slow); see {setting}"),
    "mail.no_password": ("环境变量 {env} 中没有邮箱密码", "the password variable {env} is not set"),
    "mail.no_host": ("学校设置中没有 {setting}", "no {setting} in the school's settings"),
    "mail.receipts_need_smtp": ("{receipts} 需要 {setting} 才能回信", "{receipts} needs {setting} to reply"),
    "mail.no_report": ("{path} 中没有 {report}，请先运行 {run}", "no {report} in {path}: {run} first"),
    "mail.old_report": ("{path} 来自旧版本，没有反馈工作簿记录，请重新运行 {run}",
                        "{path} comes from an older version and has no record of the feedback books: {run} again"),
    # the ledger and new-term
    "ledger.too_new": ("学校台账的版本（{version}）比本程序新（{ours}），请升级 {program}",
                       "the ledger (version {version}) is newer than this program ({ours}): please upgrade {program}"),
    "ledger.missing": ("{path} 不存在：请先对该输出目录运行一次 {run}", "no ledger at {path}: {run} this output folder first"),
    "newterm.empty_ledger": ("学校台账中还没有任何学期", "the ledger holds no term yet"),
    "newterm.bad_year": ("学年应写成 2027-2028，而不是“{year}”", "not a school year: {year} (write 2027-2028)"),
    "newterm.bad_term": ("学期应为 {terms}，而不是“{term}”", "not a term: {term} (one of {terms})"),
    "newterm.no_earlier": ("学校台账中没有 {year}{term} 之前的学期", "no term before {year} {term} in the ledger"),
    "cli.unpaired": ("{cls} {sid}：导师已离岗，请重新结对", "{cls} {sid}: the mentor left, pair again"),
    # settings: school.toml's errors (the line where the key is, when it can be found)
    "settings.not_found": ("找不到设置文件 {path}", "no settings file {path}"),
    "settings.not_utf8": ("设置文件 {path} 不是 {encoding} 编码，请用 {encoding} 保存",
                          "the settings file {path} is not {encoding}: save it as {encoding}"),
    "settings.bad_toml": ("设置文件 {path} 格式有误：{error}", "the settings file {path} is not valid TOML: {error}"),
    "settings.at_line": ("{path}：第 {line} 行，设置项 {setting}：{error}", "{path}: line {line}, setting {setting}: {error}"),
    "settings.at_key": ("{path}：设置项 {setting}：{error}", "{path}: setting {setting}: {error}"),
    "settings.err.unknown_key": ("不是已知的设置项（请检查拼写）", "not a known setting (check the spelling)"),
    "settings.err.missing": ("必须填写", "is required"),
    "settings.err.choice": ("应为 {expected} 之一", "should be {expected}"),
    "settings.err.integer": ("应为整数", "should be a whole number"),
    "settings.err.number": ("应为数字", "should be a number"),
    "settings.err.boolean": ("应为 {values}", "should be {values}"),
    "settings.err.text": ("应为文字（写在引号中）", "should be text (in quotes)"),
    "settings.err.list": ("应为列表，写在 [ ] 中", "should be a list, in [ ]"),
    "settings.err.table": ("应为一组设置（一个表）", "should be a group of settings (a table)"),
    "settings.err.date": ("应为日期，如 2026-09-01", "should be a date, like 2026-09-01"),
    "settings.err.at_least": ("应不小于 {limit}", "should be at least {limit}"),
    "settings.err.above": ("应大于 {limit}", "should be more than {limit}"),
    "settings.err.at_most": ("应不大于 {limit}", "should be at most {limit}"),
    "settings.err.below": ("应小于 {limit}", "should be less than {limit}"),
    "settings.end_before_start": ("结束日期 {end} 早于开始日期 {start}", "the end {end} is before the start {start}"),
    "settings.bad_school_year": ("学年“{value}”应写成相邻两年，如 2026-2027",
                                 "school year '{value}' is not two consecutive years like 2026-2027"),
    "settings.unknown_deduction": ("扣分类型 {unknown} 不是“{sheet}”表“{column}”列的可选值（{kinds}）",
                                   "{unknown} is not a deduction type of the sheet {sheet}, column {column} "
                                   "({kinds})"),
    # -- the forms: 导师分工明细表, 导师工作手册, assign's 分配说明 -----------------------------------------------------
    "forms.assignment.title": ("学生发展共同体与全员导师制导师分工班级明细表",
                               "Mentor Assignments by Class: Student Development Communities and Mentors for All"),
    "forms.info": ("{label}：{value}", "{label}: {value}"), "forms.info_sep": ("　　", "     "),
    "forms.list_sep": ("、", ", "),
    "forms.school": ("学校", "School"), "forms.term": ("学年学期", "Term"), "forms.grade": ("年级", "Grade"),
    "forms.class": ("班级", "Class"), "forms.head": ("班主任", "Head teacher"),
    "forms.term_text": ("{year}学年{term}", "{year} {term}"),
    "forms.col.no": ("序号", "No."), "forms.col.mentor": ("导师", "Mentor"), "forms.col.teacher_id": ("工号", "Teacher ID"),
    "forms.col.subject": ("任教学科", "Subject"), "forms.col.role": ("角色", "Role"),
    "forms.col.communities": ("共同体", "Community"), "forms.col.mentees": ("受导学生", "Mentees"),
    "forms.col.count": ("受导人数", "Number"), "forms.col.mix": ("学业水平搭配", "Level mix"),
    "forms.col.attention": ("重点关注人数", "Special attention"),
    "forms.total": ("合计", "Total"),
    # (a no-break space binds each level to its count: a wrapped cell never parts 中 from its number)
    "forms.level_mix": ("好\u00a0{good}  中\u00a0{mid}  差\u00a0{low}",
                        "high\u00a0{good}  mid\u00a0{mid}  low\u00a0{low}"),
    "forms.unknown_level": ("  未填\u00a0{n}", "  not\u00a0given\u00a0{n}"),
    "forms.no_community": ("未分", "none"),
    "forms.without_mentor": ("未结对的学生", "Students without a mentor"),
    "forms.sign_head": ("班主任（签字）：＿＿＿＿＿＿＿＿", "Head teacher (signature): ________________"),
    "forms.sign_grade": ("级部主任（签字）：＿＿＿＿＿＿＿＿", "Grade director (signature): ________________"),
    "forms.sign_date": ("日期：　　年　　月　　日", "Date: ________________"),
    "forms.sign_mentor": ("导师（签字）：＿＿＿＿＿＿＿＿", "Mentor (signature): ________________"),
    "forms.sign_check": ("检查人（签字）：＿＿＿＿＿＿＿＿", "Checked by (signature): ________________"),
    "forms.handbook.title": ("导师工作手册（{name}）", "Mentor handbook ({name})"),
    "forms.handbook.cover": ("基本信息", "Profile"),
    "forms.handbook.teacher_id": ("工号", "Teacher ID"), "forms.handbook.name": ("姓名", "Name"),
    "forms.handbook.classes": ("任导班级", "Classes"), "forms.handbook.mentees": ("受导人数", "Mentees"),
    "forms.handbook.as_of": ("统计截至", "As of"), "forms.handbook.status": ("达标状态", "Compliance"),
    "forms.handbook.talk_rate": ("谈心达标率", "Talk rate"),
    "forms.handbook.parent_rate": ("家长联系达标率", "Parent-contact rate"), "forms.handbook.note": ("说明", "Note"),
    "forms.handbook.mentee_sheet": ("受导学生", "Mentees"), "forms.handbook.talk_sheet": ("谈心记录", "Talks"),
    "forms.handbook.contact_sheet": ("家长联系", "Parent contacts"),
    "forms.handbook.report_sheet": ("学生汇报", "Student reports"),
    "forms.handbook.months_sheet": ("谈话月度汇总", "Monthly talk summary"),
    "forms.handbook.compliance_sheet": ("达标与得分", "Compliance and score"),
    "forms.col.class": ("班级", "Class"), "forms.col.student_id": ("学号", "Student ID"),
    "forms.col.name": ("姓名", "Name"), "forms.col.gender": ("性别", "Gender"), "forms.col.level": ("学业水平", "Level"),
    "forms.col.community": ("共同体", "Community"), "forms.col.attention_kind": ("重点关注类别", "Attention"),
    "forms.col.paired_on": ("结对日期", "Paired on"), "forms.col.talks": ("谈心(已/应)", "Talks (held/due)"),
    "forms.col.talks_missing": ("缺谈心的周期", "Periods without a talk"),
    "forms.col.contacts": ("家长联系(已/应)", "Contacts (made/due)"),
    "forms.col.contacts_missing": ("缺联系的月份", "Periods without a contact"),
    "forms.col.date": ("日期", "Date"), "forms.col.student": ("学生姓名", "Student"), "forms.col.form": ("形式", "Form"),
    "forms.col.topic": ("类型", "Type"), "forms.col.summary": ("内容摘要", "Summary"),
    "forms.col.follow_up": ("后续措施", "Follow-up"), "forms.col.escalate": ("需学校关注", "School attention"),
    "forms.col.way": ("方式", "Way"), "forms.col.contact_person": ("联系人", "Contact"),
    "assign.error.not_class": ("{path} 不是可以读取的班级学情工作簿", "{path} is not a readable class workbook"),
    "assign.error.no_mentors": ("没有可分配的在岗导师", "no mentors available to assign"),
    "assign.error.few_mentors": ("在岗科任导师 {mentors} 人，少于共同体 {groups} 个",
                                 "{mentors} subject mentors available, fewer than the {groups} communities"),
    "assign.error.same_file": ("{option} 不能是输入文件本身", "{option} must not be the input file"),
    "assign.reason.kept": ("保留原有结对", "pairing kept"),
    "assign.reason.full": ("所有导师的可带人数都已满", "every mentor is at capacity"),
    "assign.reason.no_choice": ("未填写志愿", "no choices given"),
    "assign.reason.choices_full": ("志愿导师已满，按剩余名额均衡安排",
                                   "chosen mentors full: placed evenly where places remained"),
    "assign.reason.community": ("本共同体与导师互选的结果", "community's mutual choice"),
    "assign.reason.no_mentor": ("共同体没有匹配到导师", "the community got no mentor"),
    "assign.sheet": ("分配说明", "Assignment notes"),
    "assign.mode": ("分配方式：{mode}", "Mode: {mode}"),
    "assign.mode.students": ("学生选导师（双向选择）", "students choose mentors (mutual choice)"),
    "assign.mode.communities": ("先分共同体，再与导师互选", "communities first, then mutual choice with mentors"),
    "assign.col.who": ("导师/共同体", "Mentor or community"), "assign.col.count": ("人数", "Students"),
    "assign.col.good": ("好", "High"), "assign.col.mid": ("中", "Mid"), "assign.col.low": ("差", "Low"),
    "assign.col.boys": ("男", "Boys"), "assign.col.girls": ("女", "Girls"),
    "assign.col.attention": ("重点关注", "Special attention"),
    "assign.community": ("第{g}共同体", "Community {g}"),
    "assign.col.student_id": ("学号", "Student ID"), "assign.col.name": ("姓名", "Name"),
    "assign.col.mentor": ("导师", "Mentor"), "assign.col.community": ("共同体", "Community"),
    "assign.col.choice": ("满足的志愿", "Choice granted"), "assign.col.reason": ("说明", "Reason"),
    "assign.choice": ("第{n}志愿", "choice {n}"), "assign.no_choice": ("—", "—"),
    "assign.title": ("双向选择分配说明", "Mutual choice: how the class was assigned"),
    # -- the summary's tables, history, school work, recognition, across terms -----------------------------------
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
    # -- section T: the timeline: terms from the files, a folder per term, new-term, history ------------
    "timeline.bad_term": ("学期“{term}”无效，应写成学年加学期，如 {example}",
                          "the term '{term}' is invalid: write the school year and term, like {example}"),
    "timeline.other_term": ("属于{term}，本次只处理{only}", "belongs to {term}; this run covers {only} only"),
    "timeline.shrink_term": ("{term}：台账中有 {old} 条记录，本次只有 {new} 条",
                             "{term}: the ledger holds {old} records, this run has {new}"),
    "timeline.shrink": ("本次运行会删去台账中一个学期超过 {share} 的记录，已停止，什么都没有改变：{terms}。"
                        "请检查收件目录是否缺了班级文件；确实要以本次为准，请加 {option} 再运行。",
                        "this run would remove more than {share} of a term's records from the ledger, so it stopped "
                        "and changed nothing: {terms}. Check whether class files are missing from the inbox; to "
                        "replace the term with this run's data, run again with {option}."),
    "timeline.no_such_term": ("{out} 中没有{term}的结果（已有：{terms}）",
                              "{out} holds no results of {term} (it holds: {terms})"),
    "timeline.moved": ("已把 {out} 中原有的输出移入学期文件夹 {folder}，没有删除任何文件",
                       "moved the outputs already in {out} into the term folder {folder}; no file was removed"),
    "timeline.default_dates": ("注意：设置中没有{term}的校历，按默认日期 {first} 至 {last} 计算；"
                               "请在 school.toml 的 {table} 中写上本学期的起止日期和节假日",
                               "note: the settings hold no calendar for {term}; the default dates {first} to "
                               "{last} were used. Add the term's dates and holidays to {table} in school.toml"),
    "timeline.held": ("{term}：没有可采用的班级工作簿，该学期已有的结果和台账保持不变",
                      "{term}: no class workbook could be used; the term's published results and ledger are kept "
                      "unchanged"),
    "timeline.term_line": ("{term}：", "{term}:"),
    "combine.wrong_term": ("工作簿中的日期大多不在它填写的学期内，整个文件未采用：请核对“学期”一栏",
                           "most dates in the workbook lie outside the term it names, so the file was not used: "
                           "check its term"),
    "validate.own_term": ("{n}/{total} 个日期不在该学期（{first} 至 {last}）内，请填写正确的学期或发送本学期的工作簿",
                          "{n} of {total} dates lie outside that term ({first} to {last}): write the right term or "
                          "send this term's workbook"),
    "settings.term_unnamed": ("{table} 的每一项都要写明 {keys}", "each {table} entry needs {keys}"),
    "settings.term_twice": ("{table} 中{term}出现了两次", "{term} appears twice in {table}"),
    "cli.help.only_term": ("只处理这一个学期，如 {example}（默认：收件目录中出现的每个学期）",
                           "process one term only, written as the name of its folder in OUT (default: every term "
                           "the inbox holds)"),
    "cli.help.replace_term": ("确认以本次运行替换台账中的学期，即使记录减少超过 {share}",
                              "confirm that this run replaces its term in the ledger even if more than {share} of "
                              "its records go"),
    "cli.help.feedback_term": ("发送这个学期的反馈，如 {example}（默认：最近的学期）",
                               "send this term's feedback, written as the name of its folder in OUT (default: the "
                               "newest term)"),
    "cli.metavar.term": ("学年学期", "TERM"),
    "cli.mail.term": ("{term}：", "{term}: "),
    "newterm.skips": ("台账中最近的学期是 {latest}，下一个学期是 {next}，不是{term}；请用 {opt} 指明要写哪一学年的{term}"
                      "（如 {opt} {year}）", "the ledger's latest term is {latest}: the next is {next}, not {term}; "
                      "say with {opt} which school year's {term} to write (e.g. {opt} {year})"),
    "newterm.from_book": ("{cls} {sid}：上学期学生名册中这一行有错误，未记入台账；已照上学期的工作簿写入，请填写导师并核对",
                          "{cls} {sid}: last term's roster row had an error and is not in the ledger; it is written "
                          "as last term's book has it: fill in the mentor and check it"),
    # -- end of section T
    # ~
    # ~
    # -- section N: new-term contacts, office parts, history ---------------------------------------
    # assessment parts: which office sent each, what a missing one does to the scores
    "parts.sent": ("{part}：{offices}", "{part}: sent by {offices}"),
    "parts.missing": ("{part}：未收到任何部门的数据，{effect}", "{part}: no office sent any data; {effect}"),
    "parts.effect.grades.scale": ("成绩进步分不计", "the grade-improvement points are not counted"),
    "parts.effect.grades.zero": ("成绩进步分按 0 分计", "the grade-improvement points count 0"),
    "parts.effect.grades.four_party": ("不推荐进步小标兵", "no progress pacesetters are proposed"),
    "parts.effect.conduct.scale": ("德育分不计", "the conduct points are not counted"),
    "parts.effect.conduct.zero": ("德育分按 0 分计", "the conduct points count 0"),
    "parts.effect.conduct.four_party": ("不推荐优秀学生发展共同体", "no outstanding communities are proposed"),
    "parts.effect.satisfaction.scale": ("满意度分不计", "the satisfaction points are not counted"),
    "parts.effect.satisfaction.zero": ("满意度分按 0 分计", "the satisfaction points count 0"),
    "parts.effect.deductions": ("只按不满意票扣分", "only dissatisfied votes are deducted"),
    "parts.effect.four_party": ("所有导师考核不完整，不计总分、不排名",
                                "every mentor's review is incomplete: no totals, no ranks"),
    "parts.office.academic": ("教务处", "Academic office"), "parts.office.moral": ("政教处", "Moral-education office"),
    "parts.office.general": ("总务处", "General-affairs office"), "parts.office.principal": ("校长室", "Principal's office"),
    "fig.assessment_parts": ("考核数据缺少的部分", "Assessment parts missing"),
    # new-term: contacts carried, books kept, what the office does next
    "cli.help.books": ("上学期班级学情工作簿现在所在的目录（默认：上次 {run} 读取它们的收件目录）",
                       "where last term's class workbooks are now (default: the inbox {run} read them from)"),
    "newterm.retype.gone": ("{cls}：上学期的工作簿 {file} 已不在，家长姓名、家长电话和导师联系电话须重新填写",
                            "{cls}: last term's workbook {file} is gone; parents' names and phones and the mentors' "
                            "phones must be typed again"),
    "newterm.retype.changed": ("{cls}：上学期的工作簿 {file} 在处理后被改动过，家长姓名、家长电话和导师联系电话须重新填写",
                               "{cls}: last term's workbook {file} was changed after the run; parents' names and "
                               "phones and the mentors' phones must be typed again"),
    "newterm.retype.unreadable": ("{cls}：上学期的工作簿 {file} 无法读取（如设有密码），家长姓名、家长电话和导师联系电话须重新填写",
                                  "{cls}: last term's workbook {file} cannot be read (a password?); parents' names "
                                  "and phones and the mentors' phones must be typed again"),
    "newterm.retype.unknown": ("{cls}：上学期没有该班已采用的工作簿记录，家长姓名、家长电话和导师联系电话须重新填写",
                               "{cls}: no accepted workbook of last term is on record; parents' names and phones "
                               "and the mentors' phones must be typed again"),
    "newterm.kept": ("{path} 已存在且与新写出的不同（可能已有填写），未覆盖；新工作簿写入 {new}",
                     "{path} exists and differs (it may hold entries already): kept; the new workbook is {new}"),
    "newterm.grades": ("升年级按 {grades}", "classes moved up by {grades}"),
    "newterm.next": ("接下来：", "Next:"),
    "newterm.next.calendar": ("1. 在 {toml} 中核对 {term} 的校历：开学和结束日期、放假、调休",
                              "1. check {term}'s calendar in {toml}: first and last day, holidays, make-up days"),
    "newterm.next.send": ("2. 把 {classes} 中的工作簿发给各班班主任（{mentors} 中的发给各位导师）",
                          "2. send the workbooks in {classes} to the head teachers (those in {mentors} to the mentors)"),
    "newterm.next.run": ("3. 收回填好的工作簿放入收件目录，运行 {command}",
                         "3. put the filled workbooks into the inbox and run {command}"),
    # history: what it was asked
    "history.not_found.teacher": ("学校台账 {path} 中没有工号为 {id} 的导师", "no teacher with ID {id} in the ledger {path}"),
    "history.not_found.class": ("学校台账 {path} 中没有班级 {id}", "no class {id} in the ledger {path}"),
    "history.not_found.student": ("学校台账 {path} 中没有学号为 {id} 的学生", "no student with student number {id} in the ledger {path}"),
    "history.col.mentors": ("导师（更换日期）", "mentors (from)"),
    "history.col.moves": ("转入/转出", "joined/left"),
    "history.move.in": ("转入 {date}", "joined {date}"),
    "history.move.out": ("转出 {date}", "left {date}"),
    "history.move.suspended": ("休学 {date}", "suspended {date}"),
    "history.mentor_from": ("{mentor}（{date} 起）", "{mentor} (from {date})"),
    "history.interrupted": ("上一次 {run} 在发布时被中断，尚未完成：以下是最后一次发布的学校台账；下次运行 {run} 会完成它",
                            "the last {run} was interrupted while publishing and is not finished: this is the "
                            "ledger as last published; the next {run} finishes it"),
    # -- end of section N
    # ~
    # ~
    # -- section L: the ledger's faults ----------------------------------------------------------------------
    "ledger.damaged": ("学校台账 {path} 已损坏（{what}），本次没有发布任何输出，上一次的输出保持不变：请用每次发布前保留的上一版 "
                       "{previous} 覆盖它后重新运行；没有上一版时，把 {path} 移到别处（保留备查），重新运行将新建台账",
                       "the ledger {path} is damaged ({what}); nothing was published and the previous outputs are "
                       "kept: copy the previous version {previous} (kept each time a run replaces the ledger) over "
                       "it and run again; without one, move {path} elsewhere (keep it) and the next run starts a "
                       "new ledger"),
    "ledger.what.migration": ("从版本 {old} 升级到 {new} 失败：{error}", "upgrading it from version {old} to {new} "
                              "failed: {error}"),
    "ledger.what.tables": ("版本号为 {version}，却缺少表或列：{tables}", "it says version {version} but lacks tables "
                           "or columns: {tables}"),
    "ledger.link": ("学校台账的位置 {path} 是一个链接（指向 {target}），本次没有发布任何输出：台账必须是输出目录中的普通文件；"
                    "请删除该链接（需要时把它指向的台账复制到此处）后重新运行",
                    "the ledger's place {path} is a link (to {target}); nothing was published: the ledger must be a "
                    "regular file in the output folder; remove the link (copy the ledger it points to there if "
                    "you need it) and run again"),
    "ledger.not_a_file": ("学校台账的位置 {path} 不是普通文件，本次没有发布任何输出：请把它移走后重新运行",
                          "the ledger's place {path} is not a regular file; nothing was published: move it away and "
                          "run again"),
    "ledger.disk_full": ("磁盘空间不足，无法写入学校台账 {path}，本次没有发布任何输出，上一次的输出和台账保持不变：请清理磁盘空间后重新运行",
                         "no space left on the disk while writing the ledger {path}; nothing was published and the "
                         "previous outputs and ledger are kept: free some space and run again"),
    "ledger.busy": ("另一个程序正在写入学校台账 {path}，等待 {seconds} 秒后仍未结束，本次没有发布任何输出：请在该程序中保存"
                    "或放弃修改并关闭它（例如 {browser}）后重新运行",
                    "another program is still writing the ledger {path} after {seconds} s; nothing was published: "
                    "save or discard its changes and close it ({browser}, for instance), then run again"),
    "ledger.read_only": ("学校台账 {path} 是只读的（或在只读磁盘上），本次没有发布任何输出：请去掉该文件的只读属性、给予写入权限，"
                         "或用 {setting} 指定可写的位置，然后重新运行",
                         "the ledger {path} is read-only (or on a read-only disk); nothing was published: make it "
                         "writable, or name a writable place with {setting}, and run again"),
    "ledger.cannot_use": ("无法打开学校台账 {path}（{error}），本次没有发布任何输出：请检查该文件及其文件夹的权限后重新运行",
                          "cannot open the ledger {path} ({error}); nothing was published: check the permissions of "
                          "the file and its folder and run again"),
    "ledger.hot_journal": ("学校台账 {path} 有一次被中断的写入（{journal}），必须以可写方式打开才能恢复：请在可写的磁盘上、"
                           "有写入权限时重新运行本命令；不要删除 {journal}，删除它会损坏台账",
                           "the ledger {path} holds an interrupted write ({journal}) that can only be undone with "
                           "write access: run this command again where the ledger is writable; do not delete "
                           "{journal}, deleting it damages the ledger"),
    "ledger.not_replaced": ("输出已发布，但学校台账 {path} 未能更新（{error}）：请解决后重新运行 run，台账将补上本学期",
                            "the outputs were published but the ledger {path} could not be updated ({error}): fix "
                            "that and run `run` again to bring the ledger up to date"),
    "ledger.unfinished_publish": ("输出目录 {out} 中有一次被中断的发布，但无法在此完成（{error}）：请在可写入该目录时运行一次 {run}，"
                                  "它会先完成或撤销那次发布",
                                  "the output folder {out} holds an interrupted publish that cannot be finished "
                                  "here ({error}): run `{run}` once with write access to it; it finishes or undoes "
                                  "that publish first"),
    # -- end of section L
    # ~
    # ~
    # -- section R: receipts, odd names, mentor books, arguments ---------------------------------------------
    "mail.receipt_other_file": ("收件目录中此名称下已是另一个文件，回执作废（不会把别人的文件发给原发件人）",
                                "another file now holds this name in the inbox: the receipt is dropped (another "
                                "sender's file is never mailed to the first sender)"),
    "publish.not_ours": ("{path} 不是本程序写出的文件（是一个文件夹、链接，或不在上次运行的输出清单中），本程序不会替换或删除它；"
                         "输出未发布。请把它移走或改名后重新运行",
                         "{path} was not written by this program (a folder, a link, or a file no earlier run listed): "
                         "it is never replaced or deleted, and nothing was published. Move or rename it, then run "
                         "again"),
    "cli.bad_count": ("应为 {low} 到 {high} 之间的整数，而不是“{value}”", "should be a whole number from {low} to {high}, "
                      "not '{value}'"),
    "cli.bad_seconds": ("应为 {low} 到 {high} 之间的秒数，而不是“{value}”", "should be a number of seconds from {low} to "
                        "{high}, not '{value}'"),
    "cli.out_is_folder": ("{option} {path} 是一个文件夹：请写出一个文件的名字", "{option} {path} is a folder: name a file"),
    "cli.out_no_folder": ("{option} {path}：文件夹 {folder} 不存在，本程序不会创建它；请先建好文件夹或换一个位置",
                          "{option} {path}: the folder {folder} does not exist and is never created here; make it "
                          "first or choose another place"),
    "cli.out_not_folder": ("{option} {path} 是一个文件而不是文件夹：请指定一个文件夹",
                           "{option} {path} is a file, not a folder: name a folder"),
    "settings.not_a_file": ("设置文件 {path} 无法读取：{reason}；设置文件应是一个普通的 .toml 文件",
                            "the settings file {path} cannot be read: {reason}; it must be a plain .toml file"),
    "settings.too_large": ("设置文件 {path} 超过 {limit}，不像是设置文件：请检查路径是否写对",
                           "the settings file {path} is larger than {limit}, not a settings file: check the path"),
    # -- end of section R
    # ~
    # ~
    # -- section F: fair scores and ties ---------------------------------------------------------------------
    # the termly list (《小学学情会商制度实施方案》: 对成绩显著者给予表扬与奖励); 优秀导师 is the yearly award only
    "recognition.term_praise": ("学期表扬", "term praise"),
    "assessment.reason.term_praise": ("考核总分 {total}（考核组“{group}”第 {rank} 名），谈心达标率 {rate}，达标状态：达标",
                                      "total {total} (rank {rank} in the group '{group}'), talk rate {rate}, "
                                      "compliance: on track"),
    "assessment.tied": ("（并列第 {rank} 名）", " (tied for place {rank})"),
    "assessment.tie_rule.community": ("优秀学生发展共同体：各年级按德育量化得分，同分并列、全部列出；名额固定时依次按成员谈心达标率高者、"
                                      "班级和共同体编号顺序取舍。",
                                      "Outstanding communities: by conduct score in each grade; equal scores are tied "
                                      "and all listed; with fixed places, the higher members' talk rate goes first, "
                                      "then class and community number."),
    "assessment.tie_rule.star": ("乐于助人小明星：各班获推荐人数最多者，并列的全部列出；名额固定时按学号顺序取舍。",
                                 "Helpful stars: the most nominated in each class; ties are all listed; with fixed "
                                 "places, by student id."),
    "assessment.tie_rule.pacesetter": ("进步小标兵：各年级按百分位提升，同值并列、全部列出；名额固定时依次按本学期百分位高者、学号顺序取舍。",
                                       "Progress pacesetters: by percentile gain in each grade; equal gains are tied "
                                       "and all listed; with fixed places, the higher percentile this term goes first, "
                                       "then student id."),
    "assessment.tie_rule.term_praise": ("学期表扬：先从评价项目最全的考核组中推荐，组内按考核总分，同分并列、全部列出；名额固定时依次按"
                                        "谈心达标率、家长联系达标率高者、工号顺序取舍。",
                                        "Term praise: proposed from the most fully evaluated score group first, by "
                                        "total within the group; equal totals are tied and all listed; with fixed "
                                        "places, the higher talk rate goes first, then parent-contact rate, then "
                                        "teacher id."),
    "assessment.tie_rule.mentor_year": ("学年优秀导师：两学期考核项目相同的导师相比，先从评价项目最全的组中推荐，按两学期平均分，同分并列、"
                                        "全部列出；名额固定时按工号顺序取舍。",
                                        "Mentors of the year: compared with those scored on the same parts in both "
                                        "terms, the most fully evaluated first, by the mean of the two terms; equal "
                                        "means are tied and all listed; with fixed places, by teacher id."),
    "score.group.none": ("不排名", "not ranked"),
    "sum.semicolon": ("；", "; "),
    "school_work.not_required": ("不要求", "not required"),
    "sum.overdue_vs_rate": ("说明：达标率按已结束的周期计算，逾期名单按距上次谈心（家长联系）的天数计算：本周期尚未结束时，"
                            "学生可以已逾期而达标率仍为 100%。",
                            "Note: the rates count completed periods, the overdue list the days since the last talk "
                            "(parent contact): while a period is still open, a student can be overdue with a 100% "
                            "rate."),
    "rules.too_few_mentees": ("{n} 名，少于 {least} 名", "{n}, fewer than {least}"),
    "score.group.head": ("考核组 {n}（评价项目：{parts}）：{size} 人，组内排名",
                         "Score group {n} (evaluated on: {parts}): {size} in the group, ranked within it"),
    "score.group.unranked": ("不排名：{size} 人（无受导学生、无可评分项或四方评议不完整）",
                             "Not ranked: {size} (no mentees, nothing evaluated, or an incomplete four-party review)"),
    "sum.score.nothing_evaluated": ("无可评分项：只有基础分，不计总分、不排名、不评优",
                                    "nothing evaluated: only the base, so no total, no rank, no award"),
    "sum.score.grouped": ("与适用项目相同的导师比较排名", "ranked among mentors scored on the same parts"),
    "sum.ranking_groups": ("导师按适用的考核项目分组排名（项目较少的得分不与项目较多的比较）；同分同名次（并列），名额固定时依次按谈心达标率、"
                           "家长联系达标率高者、工号顺序取舍。",
                           "Mentors are ranked within groups scored on the same parts (a score from fewer parts is "
                           "never compared with one from more); equal totals share a place (tied); with fixed places, "
                           "the higher talk rate goes first, then parent-contact rate, then teacher id."),
    "recognition.term_praise.none": ("无：没有既在考核中排名、谈心和家长联系又都达标（≥ {band}）的导师",
                                     "none: no mentor is both ranked and on track (≥ {band}) in talks and parent "
                                     "contacts"),
    # -- end of section F
    # ~
    # ~
    # -- section D: the documents' last duties: rectification, meetings, studies, 级部 -------------------------
    "duties.summary.col": ("月度总结", "Own monthly summary"),
    "duties.summary.missing": ("未交", "not handed in"),
    "duties.summary.not_required": ("不要求", "not required"),
    # 专题会议 逐班排查 and the 级部's work on the summary's 学校工作 sheet (school_work.py)
    "duties.col.not_covered": ("未排查班级", "Classes not covered"),
    "duties.not_covered": ("未排查班级", "Classes not covered"), "duties.all_covered": ("全部排查", "all covered"),
    "duties.grade_block": ("级部工作", "Grade offices' work"),
    "duties.grade_exchange": ("级部交流(本学期)", "Exchange between grades (this term)"),
    "duties.col.grade": ("年级", "Grade"), "duties.col.plan": ("级部计划", "Grade plan"),
    "duties.col.plan_state": ("计划状态", "Plan"), "duties.col.summary": ("级部总结", "Grade summary"),
    "duties.col.summary_state": ("总结状态", "Summary"),
    "duties.grade_on_time": ("按时", "on time"), "duties.grade_late": ("逾期", "late"),
    "duties.grade_missing": ("未交", "missing"), "duties.grade_not_due": ("未到期", "not due yet"),
    "duties.grade_unchecked": ("未检查", "not checked"),
    "duties.grade_held": ("已开", "held"),
    # 整改名单 (rectification.py): 《学情会商制度实施方案》六.2 限期自查整改, 予以更换
    "duties.rect.sheet": ("整改名单", "Rectification"),
    "duties.rect.col.teacher_id": ("工号", "Teacher ID"), "duties.rect.col.name": ("姓名", "Name"),
    "duties.rect.col.classes": ("任导班级", "Classes"),
    "duties.rect.col.months": ("连续未达标月份", "Months off track"),
    "duties.rect.col.listed_on": ("列入日期", "Listed on"), "duties.rect.col.deadline": ("整改期限", "Deadline"),
    "duties.rect.col.judged": ("整改检查月份", "Months judged"), "duties.rect.col.state": ("状态", "State"),
    "duties.rect.col.mentees": ("需重新结对的学生", "Mentees to re-pair"),
    "duties.rect.col.action": ("操作", "What to do"),
    "duties.rect.open": ("整改中", "correcting"), "duties.rect.rectified": ("已整改", "put right"),
    "duties.rect.replace": ("建议更换", "replace the mentor"),
    "duties.rect.action.open": ("限期自查整改：{deadline} 前谈心、家长联系须达标", "correct by {deadline}: talks and "
                                "parent contacts back on track"),
    "duties.rect.action.replace": (
        "在该班工作簿“{sheet}”中将其{column}改为“{left}”，再运行：",
        "set the mentor's {column} to {left} in the class workbook's {sheet}, then run:"),
    "duties.rect.note": (
        "连续 {months} 个月谈心或家长联系未达标（达标率低于 {floor}）列入整改名单，期限 {days} 天；期限内各月仍未达标即建议更换导师，"
        "其受导学生重新结对（《学情会商制度实施方案》六.2）。",
        "{months} consecutive months with talks or parent contacts off track (a rate below {floor}) put a mentor on "
        "this "
        "list with {days} days to correct it; still off track over the months to the deadline, the mentor is to be "
        "replaced and the mentees paired again."),
    "duties.fig.replace": ("建议更换的导师（见整改名单）", "Mentors to replace (see Rectification)"),
    "duties.rect.folder": ("重新结对", "repaired"),  # the folder `assign --repair` writes into, in the command shown
    "duties.rect.from_term": ("（{term}列入）", " (listed in {term})"),
    # the class's own 学情研究 table in its feedback book (rules/studies.py)
    "duties.study.sheet": ("学情研究", "Class studies"),
    "duties.study.col.date": ("日期", "Date"), "duties.study.col.host": ("主持人", "Host"),
    "duties.study.col.attendees": ("参加人员", "Attendees"),
    "duties.study.col.mentors": ("参加的本班导师", "Class mentors taking part"),
    "duties.study.col.check": ("核对", "Check"),
    "duties.study.ok": ("班主任主持，导师参加", "head teacher and mentors"),
    "duties.study.not_head": ("非班主任主持", "not hosted by the head teacher"),
    "duties.study.no_mentor": ("无本班导师参加", "no class mentor listed"),
    # -- end of section D
    # ~
    # ~
    # -- section W: serve: the office's web page -------------------------------------------------------------
    "cli.help.serve": ("启动网页：教师提交前自查，教务处查看收件情况并运行，校长查看统计",
                        "start the web page: teachers check before sending, the office sees who has sent and runs, "
                        "the principal sees the figures"),
    "cli.desc.serve": ("在本校网络上提供网页：教师拖入工作簿即可看到每个问题所在的单元格并提交到收件目录；教务处在 {office} "
                       "查看收件情况、运行并查看统计。默认只在本机可用，{host} 对全校网络开放；按 {ctrl_c} 停止。",
                       "a page on the school network: teachers drop a workbook, see every problem by cell and submit it "
                       "into the inbox; the office sees who has sent, runs and reads the figures at {office}. Only this "
                       "computer by default; {host} serves the school network; {ctrl_c} stops it."),
    "cli.help.host": ("监听地址（默认只在本机；{all} 为全校网络）", "address to listen on (this computer by default; "
                      "{all} for the school network)"),
    "cli.help.port": ("端口", "port"),
    "web.started": ("教师自查：{check}    教务处：{office}", "teachers' check: {check}    office: {office}"),
    "web.no_password": ("未设置教务处密码（{setting} 或环境变量 {env}）：教务处页面只能在本机打开",
                        "no office password ({setting} or the environment variable {env}): the office's pages open "
                        "only on this computer"),
    "web.stop_hint": ("按 Ctrl-C 停止", "press Ctrl-C to stop"),
    "web.waiting_for_run": ("等待正在进行的运行结束（最多 {seconds} 秒）…", "waiting for the run under way to end "
                            "(at most {seconds} s)…"),
    "web.cannot_listen": ("无法在 {host}:{port} 上提供网页：{error}（端口可能已被占用，可用 {option} 换一个）",
                          "cannot serve on {host}:{port}: {error} (the port may be taken; choose another with {option})"),
    "web.timeout": ("请求在 {seconds} 秒内没有发送完整，连接已关闭。请重新上传。",
                    "the request did not arrive whole within {seconds} s; the connection is closed. Please upload "
                    "again."),
    "web.brand": ("全员育人导师制 · 学情工作簿", "Mentor system workbooks"),
    "web.nav.check": ("提交前自查", "Check a workbook"), "web.nav.office": ("教务处", "Office"),
    "web.nav.summary": ("统计", "Figures"), "web.logout": ("退出登录", "Log out"), "web.back": ("返回自查页", "Back"),
    "web.none": ("无", "none"), "web.list_sep": ("、", ", "),
    "web.error.400": ("请求有误", "Bad request"), "web.error.400.text": ("请求无法处理，请回到上一页重试。",
                                                                     "The request could not be read; please try again."),
    "web.error.403": ("不允许", "Not allowed"), "web.error.403.text": ("没有权限打开此页面。",
                                                                    "You may not open this page."),
    "web.error.404": ("找不到", "Not found"), "web.error.404.text": (
        "没有这个页面或文件（自查结果只给上传者本人看，保留一小时）。",
        "No such page or file (a check is shown to the person who uploaded it only, for an hour)."),
    "web.error.405": ("不支持的操作", "Not supported"), "web.error.405.text": ("此页面不支持这种操作。",
                                                                        "This page does not take that request."),
    "web.error.408": ("请求超时", "Request timeout"), "web.error.408.text": ("请求没有及时发送完整，请重试。",
                                                                       "The request did not arrive in time; please "
                                                                       "try again."),
    "web.error.409": ("不能提交", "Cannot submit"), "web.error.409.text": ("此操作现在不能进行。",
                                                                       "This cannot be done now."),
    "web.error.413": ("文件太大", "File too large"), "web.error.413.text": ("上传的内容太大。", "The upload is too large."),
    "web.error.429": ("太频繁", "Too many requests"), "web.error.429.text": ("请求太频繁，请稍后再试。",
                                                                         "Too many requests; please try again later."),
    "web.error.500": ("出错了", "Something went wrong"), "web.error.500.text": (
        "服务器处理时出错，请稍后再试；如仍出错，请把文件发给教务处。",
        "The server failed on this request; try again later, or send the file to the office."),
    "web.malformed": ("上传的内容不完整或格式有误，请重新选择文件上传。",
                      "The upload arrived cut off or malformed; please choose the file and upload it again."),
    "web.csrf": ("页面已过期，请刷新页面后重试。", "The page has expired; reload it and try again."),
    "web.no_file": ("请选择要检查的工作簿文件。", "Please choose a workbook to check."),
    "web.too_large": ("文件超过大小上限 {limit} MB（{setting}），未检查。",
                      "The file is over the size limit of {limit} MB ({setting}) and was not checked."),
    "web.too_many_checks": ("一小时内最多自查 {n} 次，请稍后再试。", "At most {n} checks an hour; please try again later."),
    "web.login_tries": ("密码错误次数太多，请十分钟后再试。", "Too many wrong passwords; try again in ten minutes."),
    "web.not_submittable": ("此文件不是可以读取的工作簿，不能提交；请按提示修改后重新检查。",
                            "This file is not a workbook the office can read and cannot be submitted; fix it and check "
                            "it again."),
    "web.local_only": ("教务处页面只能在本机打开：请在 {setting} 中设置密码，或设置环境变量 {env}。",
                       "The office's pages open only on this computer: set a password in {setting} or the environment "
                       "variable {env}."),
    "web.not_run": ("还没有运行结果：请先在教务处页面运行。", "Nothing has been run yet: run it from the office's page."),
    "web.login.title": ("教务处登录", "Office login"), "web.login.password": ("密码", "Password"),
    "web.login.submit": ("登录", "Log in"), "web.login.wrong": ("密码不正确。", "Wrong password."),
    "web.check.title": ("提交前自查", "Check your workbook before sending it"),
    "web.check.intro": ("把班级学情工作簿、导师工作手册或考核数据拖到下面（或点选文件，最大 {limit} MB），马上看到每个问题所在的"
                        "工作表和单元格。文件只用于检查；按“提交到教务处”才会保存。",
                        "Drop a class workbook, a mentor workbook or assessment data below (or choose the file, at most "
                        "{limit} MB) and see at once every problem by sheet and cell. The file is only checked; it is "
                        "kept only when you press \"Submit to the office\"."),
    "web.check.drop": ("拖到这里，或点选文件", "Drop the file here, or choose it"),
    "web.check.button": ("检查", "Check"), "web.check.choose": ("选择文件", "Choose a file"),
    "web.check.not_read": ("未检查：{reason}", "Not checked: {reason}"),
    "web.check.fill_date": ("填表日期 {date}", "filled in on {date}"),
    "web.check.verdict": ("{state}：{counts}", "{state}: {counts}"),
    "web.check.annotated": ("下载带标注的副本（问题单元格标红并有批注）",
                            "Download the marked copy (problem cells in red, with comments)"),
    "web.check.submit": ("提交到教务处", "Submit to the office"),
    "web.check.submit_with_errors": ("文件还有 {n} 个错误：现在提交，有错误的行不会被采用。建议修改后重新检查再提交。",
                                     "The file still has {n} errors: rows with errors will not be used. Better fix "
                                     "them and check again first."),
    "web.check.cannot_submit": ("此文件不能提交：请按上面的说明修改后重新检查。",
                                "This file cannot be submitted: fix it as said above and check it again."),
    "web.receipt.title": ("已提交到教务处", "Submitted to the office"),
    "web.receipt.text": ("已保存为“{file}”，时间 {time}。教务处下次运行时会处理它。",
                         "Saved as \"{file}\" at {time}. The office's next run will take it."),
    "web.receipt.sha": ("校验值 SHA-256：{sha256}", "SHA-256: {sha256}"),
    "web.col.where": ("位置", "Where"), "web.col.arrived": ("收到时间", "Arrived"), "web.col.errors": ("错误", "Errors"),
    "web.col.warnings": ("警告", "Warnings"), "web.col.newest": ("最新版本", "Newest version"),
    "web.col.fill_date": ("填表日期", "Fill date"), "web.col.versions": ("版本数", "Versions"),
    "web.col.overdue": ("逾期学生数", "Students overdue"), "web.col.kind": ("类型", "Kind"),
    "web.col.status": ("状态", "Status"), "web.col.reason": ("原因", "Reason"), "web.col.last_term": ("上学期", "Last term"),
    "web.office.title": ("教务处 · 收件情况", "Office: who has sent what"),
    "web.office.last_run": ("{term} · 统计截至 {as_of} · 发布于 {time}", "{term} · as of {as_of} · published {time}"),
    "web.office.never_run": ("还没有运行过。", "Not run yet."),
    "web.office.arrivals": ("上次运行后收到的文件", "Arrived since the last run"),
    "web.office.classes": ("各班提交", "Classes"),
    "web.office.missing": ("未交", "Still missing"),
    "web.office.arrived_since": ("已收到，待运行", "arrived, not yet run"),
    "web.office.books": ("导师工作手册与各部门考核数据", "Mentor workbooks and the offices' assessment data"),
    "web.office.rejected": ("退回或有错误的文件", "Files rejected or with errors"),
    "web.run.button": ("立即运行", "Run now"), "web.run.running": ("正在运行：已读取文件", "Running: files read"),
    "web.run.waiting": ("另一个运行正在写入输出目录，等待它结束…", "Another run is writing the output folder; waiting…"),
    "web.run.done": ("运行完成：采用 {accepted} 个文件，退回 {rejected} 个，{errors} 个错误，{warnings} 个警告（退出码 {code}）",
                     "Run finished: {accepted} files accepted, {rejected} rejected, {errors} errors, {warnings} "
                     "warnings (exit code {code})"),
    "web.run.failed": ("运行失败：{error}", "The run failed: {error}"),
    "web.summary.title": ("统计 · 校长查看", "Figures for the principal"),
    "web.summary.downloads": ("下载已发布的工作簿", "Download the published workbooks"),
    "web.summary.count": ("{label}：{n}", "{label}: {n}"),
    "web.chart.terms": ("历学期达标率（学校台账）", "Rates term by term (the school ledger)"),
    # -- end of section W
    # ~
    # ~
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
    "classes": "Classes covered",
}


def sheet_name(spec: Any, lang: str) -> str:
    """A schema sheet's name: the template's own (Chinese) name, or its English name."""
    return SHEET_EN.get(spec.key, spec.name) if lang == "en" else spec.name


def column_header(column: Any, lang: str) -> str:
    """A schema column's header: the template's own, or its English name."""
    return FIELD_EN.get(column.field, column.header) if lang == "en" else column.header
