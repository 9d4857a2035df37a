"""The command line: what commands print, their --help texts, the arguments they refuse."""
from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
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
    # -- receipts, odd names, mentor books, arguments ---------------------------------------------
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
}
