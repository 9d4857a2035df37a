"""The ledger across terms: the timeline, new-term, history, the ledger's faults."""
from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # the ledger and new-term
    "ledger.too_new": ("学校台账的版本（{version}）比本程序新（{ours}），请升级 {program}",
                       "the ledger (version {version}) is newer than this program ({ours}): please upgrade {program}"),
    "ledger.missing": ("{path} 不存在：请先对该输出目录运行一次 {run}", "no ledger at {path}: {run} this output folder first"),
    "newterm.empty_ledger": ("学校台账中还没有任何学期", "the ledger holds no term yet"),
    "newterm.bad_year": ("学年应写成 2027-2028，而不是“{year}”", "not a school year: {year} (write 2027-2028)"),
    "newterm.bad_term": ("学期应为 {terms}，而不是“{term}”", "not a term: {term} (one of {terms})"),
    "newterm.no_earlier": ("学校台账中没有 {year}{term} 之前的学期", "no term before {year} {term} in the ledger"),
    "cli.unpaired": ("{cls} {sid}：导师已离岗，请重新结对", "{cls} {sid}: the mentor left, pair again"),
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
    # -- the timeline: terms from the files, a folder per term, new-term, history ------------
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
    # -- new-term contacts, office parts, history ---------------------------------------
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
    # -- the ledger's faults ----------------------------------------------------------------------
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
}
