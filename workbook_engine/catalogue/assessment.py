"""Scores, ties and recognition; the duties the documents set: rectification, meetings, studies, the grade offices."""
from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # -- fair scores and ties ---------------------------------------------------------------------
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
    # -- the documents' last duties: rectification, meetings, studies, 级部 -------------------------
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
}
