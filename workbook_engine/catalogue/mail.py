"""Mail: the feedback mail, receipts to senders, why a receipt or a class's feedback was not sent."""
from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # -- mail ----------------------------------------------------------------------------------------------------
    "mail.subject": ("{cls} 学情反馈（截至 {as_of}）", "{cls}: mentor-system feedback as of {as_of}"),
    "mail.body": ("{head}老师：\n\n附件是{cls}截至 {as_of} 的学情反馈。\n\n"
                  "谈心达标率 {talk}，家长联系达标率 {parent}；有未完成周期的学生 {gaps} 人，当前逾期需跟进的 {overdue} 人。\n"
                  "详细情况、数据问题（含单元格位置）和达标表见附件。\n\n教务处",
                  "Dear {head},\n\nattached is the feedback of {cls} as of {as_of}.\n\n"
                  "Talk rate {talk}, parent-contact rate {parent}; {gaps} students have unfinished periods, {overdue} "
                  "are overdue now.\nThe details, data problems (with their cells) and the grid are in the attachment."
                  "\n\nThe office"),
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
}
