"""The office's web page (serve)."""
from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # -- serve: the office's web page -------------------------------------------------------------
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
}
