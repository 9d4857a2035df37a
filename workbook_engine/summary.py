"""The workbooks people open: the principal's summary and one feedback book per class.

The summary carries counts, flags and categories — never a parent's phone number or a free-text note
unless `[privacy]` allows it. A class's feedback book holds that class's data and nothing else.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbook_engine.books import CONFLICT_HEADERS, CONFLICT_SHEET, STATUS, Book, conflict_rows, safe_sheet_name, write_grid
from workbook_engine.fastxlsx import FONT
from workbook_engine.output import atomic_path, safe_file_name  # noqa: F401 (safe_file_name: for callers)
from workbook_engine.privacy import Redactor

if TYPE_CHECKING:
    from workbook_engine.pipeline import RunResult

STATUS_ZH = {"on_track": "达标", "needs_attention": "需关注", "off_track": "未达标", "no_mentees": "无受导学生"}
RECOGNITION_ZH = {"community": "优秀学生发展共同体", "star": "乐于助人小明星", "pacesetter": "进步小标兵",
                  "mentor": "优秀导师", "mentor_year": "学年优秀导师"}
RULE_ZH = {"talk": "谈心", "parent": "家长联系"}


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


def _rate_formats(book: Book) -> dict[str, Any]:
    return {
        "good": book.wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"}),
        "warn": book.wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"}),
        "bad": book.wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
    }


def _colour_rates(book: Book, ws: Any, first_row: int, last_row: int, col: int, result: RunResult) -> None:
    """Conditional colours on a column of rates: green on track, yellow needs attention, red off track;
    blank cells (no periods due) stay white."""
    if last_row < first_row:
        return
    from workbook_engine.cells import cell_ref

    f = _rate_formats(book)
    on, mid = result.settings.policy.on_track, result.settings.policy.needs_attention
    ref = cell_ref(first_row + 1, col + 1)  # relative to the range's first cell
    ws.set_column(col, col, 12)
    for rule, fmt in ((f"AND(ISNUMBER({ref}),{ref}>={on})", f["good"]),
                      (f"AND(ISNUMBER({ref}),{ref}>={mid},{ref}<{on})", f["warn"]),
                      (f"AND(ISNUMBER({ref}),{ref}<{mid})", f["bad"])):
        ws.conditional_format(first_row, col, last_row, col, {"type": "formula", "criteria": "=" + rule, "format": fmt})


def _colour_status(book: Book, ws: Any, first_row: int, last_row: int, col: int) -> None:
    f = _rate_formats(book)
    for text, fmt in (("达标", f["good"]), ("需关注", f["warn"]), ("未达标", f["bad"])):
        ws.conditional_format(first_row, col, last_row, col, {"type": "cell", "criteria": "==", "value": f'"{text}"',
                                                              "format": fmt})


# How a score reads in the summary and the feedback books (the parts' names, 不适用, a four-party review's gaps).
SCORE_ZH = {
    "points": ["基础分", "成绩", "德育", "满意度", "扣分", "总分", "排名"],
    "four_party": ["自评", "学生评议", "教师评议", "学校评议", "总分", "排名"],
    "grades": "成绩", "conduct": "德育", "satisfaction": "满意度",
    "self": "自评", "students": "学生评议", "teachers": "教师评议", "school": "学校评议",
    "not_applicable": "不适用", "not_given": "未交",
    "scaled": "{parts}不适用：总分按适用各项满分 {applicable} 分折算为 {full} 分",
    "zero": "{parts}无数据，记 0 分",
    "incomplete": "四方评议不完整：缺{parts}，不计总分、不排名",
    "no_mentees": "无受导学生，不考核",
}


def _score_scheme(result: RunResult) -> str:
    return result.settings.assessment.scheme


def score_cells(score: dict[str, Any], rank: int | None) -> list[Any]:
    """A teacher's score as the table shows it: each part (不适用 / 未交 where it has none), total, rank."""
    if score.get("scheme") == "four_party":
        missing = set(score.get("missing_parts", []))
        return [SCORE_ZH["not_given"] if k in missing else score.get(k)
                for k in ("self", "students", "teachers", "school")] + [score.get("total"), rank]
    na = set(score.get("not_applicable", []))
    return [score.get("base")] + [SCORE_ZH["not_applicable"] if k in na else score.get(k)
                                  for k in ("grades", "conduct", "satisfaction")] \
        + [score.get("deductions"), score.get("total"), rank]


def score_note(score: dict[str, Any]) -> str:
    """Why a score is as it is, in words: parts not applicable and the scaling, a four-party review's gaps."""
    if not score:
        return ""
    if score.get("status") == "no_mentees":
        return SCORE_ZH["no_mentees"]
    if score.get("scheme") == "four_party":
        missing = score.get("missing_parts", [])
        return SCORE_ZH["incomplete"].format(parts="、".join(SCORE_ZH[k] for k in missing)) if missing else ""
    detail = score.get("detail", {})
    if score.get("not_applicable"):
        return SCORE_ZH["scaled"].format(parts="、".join(SCORE_ZH[k] for k in score["not_applicable"]),
                                         applicable=_num(detail.get("applicable_max")),
                                         full=_num(detail.get("full_marks")))
    if detail.get("no_data"):
        return SCORE_ZH["zero"].format(parts="、".join(SCORE_ZH[k] for k in detail["no_data"]))
    return ""


def _num(value: Any) -> str:
    return "" if value is None else (str(int(value)) if float(value).is_integer() else str(value))


def mentor_headers(scheme: str) -> list[str]:
    return ["班级", "工号", "姓名", "受导人数", *SCORE_ZH[scheme], "达标状态", "谈心达标率", "家长联系达标率", "说明"]


def _sorted_mentors(mentors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(mentors, key=lambda m: (m["rank"] is None, m["rank"] or 0, m["class"], m["teacher_id"]))


def _mentor_rows(mentors: list[dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for m in _sorted_mentors(mentors):
        s = m.get("score", {})
        rows.append([m["class"], m["teacher_id"], m["name"], m["mentees"], *score_cells(s, m.get("rank")),
                     STATUS_ZH.get(m["status"], m["status"]), _pct(m["talk_rate"]), _pct(m["parent_rate"]),
                     score_note(s)])
    return rows


def teacher_headers(scheme: str) -> list[str]:
    return ["工号", "姓名", "任导班级", "受导人数", *SCORE_ZH[scheme], "达标状态", "谈心达标率", "家长联系达标率", "说明"]


def _teacher_sheet(book: Book, name: str, people: list[dict[str, Any]], result: RunResult) -> None:
    """导师考核: one row per teacher over all the classes they mentor in, ranked school-wide; every part of the
    scheme shown (不适用 for a part without data, 未交 for a missing review) and why, in 说明."""
    rows = []
    for t in sorted(people, key=lambda t: (t["rank"] is None, t["rank"] or 0, t["teacher_id"])):
        s = t.get("score", {})
        rows.append([t["teacher_id"], t["name"], "、".join(t["classes"]), t["mentees"], *score_cells(s, t.get("rank")),
                     STATUS_ZH.get(t["status"], t["status"]), _pct(t["talk_rate"]), _pct(t["parent_rate"]),
                     score_note(s)])
    headers = teacher_headers(_score_scheme(result))
    status = headers.index("达标状态")
    ws = book.table(name, headers, rows, pct_cols=(status + 1, status + 2), max_width=44)
    _colour_rates(book, ws, 1, len(rows), status + 1, result)
    _colour_rates(book, ws, 1, len(rows), status + 2, result)
    _colour_status(book, ws, 1, len(rows), status)


def _problem_rows(files: list[Any], redact: Redactor | None = None) -> list[list[Any]]:
    """Problems with file, sheet and cell. With redact (the summary, the office's), values pass the run's
    one redaction (privacy.Redactor): the summary never quotes a note, an ID-card or a phone number. Without
    (a class's own feedback book), the values are shown as typed."""
    rows = []
    for f in files:
        problems = redact.problems(f.report, f.problems) if redact is not None else f.problems
        for p in problems:
            rows.append([redact.text(f.name) if redact is not None else f.name, f.class_name, "错误" if p.severity.value == "error" else "警告", p.sheet, p.cell,
                         p.message("zh")])
    return rows


PROBLEM_HEADERS = ["文件", "班级", "级别", "工作表", "单元格", "说明"]


def _attention_rows(result: RunResult, students: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    comp = result.compliance
    privacy = result.settings.privacy
    mentors = {(m["class"], m["teacher_id"]): m["name"] for m in comp.mentors}
    leaders: dict[tuple[str, str | None], list[str]] = {}
    for r in result.merged.records.get("leaders", []):
        leaders.setdefault((r.get("class_name"), r.get("student_id")), []).append(r.get("leader"))
    roster = {(r.get("_class"), r.get("student_id")): r for r in result.merged.records.get("students", [])}
    headers = ["班级", "学号", "姓名", "关注类别", "导师", "最近谈心", "最近家长联系", "需学校关注", "包靠领导"]
    if privacy.include_phone_numbers:
        headers.append("家长电话")
    if privacy.include_private_text:
        headers.append("备注")
    rows = []
    for s in sorted(students, key=lambda s: (s["class"], s["student_id"])):
        if not (s["attention"] or s["escalated"]):
            continue
        lead = leaders.get((s["class"], s["student_id"])) or leaders.get((s["class"], None)) or []
        row = [s["class"], s["student_id"], s["name"], "、".join(s["attention"]),
               mentors.get((s["class"], s["mentor_id"])), s["last_talk"], s["last_parent_contact"],
               "是" if s["escalated"] else "否", "、".join(x for x in lead if x)]
        extra = roster.get((s["class"], s["student_id"]), {})
        if privacy.include_phone_numbers:
            row.append(extra.get("parent_phone"))
        if privacy.include_private_text:
            row.append(extra.get("note"))
        rows.append(row)
    return headers, rows


def _data_block(book: Book, ws: Any, row: int, headers: tuple[str, ...], rows: list[tuple[Any, ...]],
                number_format: Any) -> None:
    """A small table on the overview: a header row, then a text column and number columns."""
    for c, h in enumerate(headers):
        ws.write_string(row, c, h, book.fmt["header"])
    for i, (name, *numbers) in enumerate(rows, start=row + 1):
        ws.write_string(i, 0, name, book.fmt["text"])
        for c, value in enumerate(numbers, start=1):
            ws.write_number(i, c, value, number_format)


def _chart(book: Book, ws: Any, kind: str, title: str, at_row: int, data_row: int, n: int,
           series: list[tuple[int, str, str | None]], legend: bool = False,
           x_axis: dict[str, Any] | None = None, y_axis: dict[str, Any] | None = None) -> None:
    """A native chart over the data block whose header is at data_row: (column, name, fill) per series."""
    chart = book.wb.add_chart({"type": kind})
    for col, name, fill in series:
        spec: dict[str, Any] = {"name": name, "categories": ["概览", data_row + 1, 0, data_row + n, 0],
                                "values": ["概览", data_row + 1, col, data_row + n, col]}
        if fill:
            spec["fill"] = {"color": fill}
        else:
            spec["data_labels"] = {"value": False}
        chart.add_series(spec)
    chart.set_title({"name": title, "name_font": {"name": FONT}})
    if x_axis is not None or legend:
        chart.set_x_axis({**(x_axis or {}), "num_font": {"name": FONT}})
    if y_axis is not None:
        chart.set_y_axis({**y_axis, "num_font": {"name": FONT}})
    chart.set_legend({"position": "bottom", "font": {"name": FONT}} if legend else {"none": True})
    ws.insert_chart(at_row, 3, chart, {"x_scale": 1.2, "y_scale": 1.0})


def _overview(book: Book, result: RunResult) -> None:
    comp = result.compliance
    report = result.report
    ws = book.sheet("概览")
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 8, 12)
    title = f"{result.settings.school.name or ''} {result.school_year or ''}{result.term or ''} 全员育人导师制汇总".strip()
    ws.write_string(0, 0, title, book.fmt["title"])
    ws.write_string(1, 0, f"统计截至 {result.as_of.isoformat()}", book.fmt["cell"])
    students = comp.students
    mentors = [t for t in result.teachers if t["mentees"]]  # people, each once however many classes
    talk_rate, parent_rate = comp.school_rates()
    pct = book.wb.add_format({"font_name": FONT, "num_format": "0.0%", "align": "left"})
    figures = [
        ("班级数", len(comp.classes), None), ("学生数", len(students), None), ("导师数", len(mentors), None),
        ("未交文件的班级", len(report["missing_classes"]), None), ("逾期未更新的班级", len(report["late_classes"]), None),
        ("谈心达标率", talk_rate, pct), ("家长联系达标率", parent_rate, pct),
        ("重点关注学生", sum(bool(s["attention"]) for s in students), None),
        ("需学校关注的学生", sum(s["escalated"] for s in students), None),
        ("当前逾期未谈心/未联系家长的学生", comp.overdue_students(), None),
        ("数据错误", report["summary"]["errors"], None), ("数据警告", report["summary"]["warnings"], None),
    ]
    ws.write_string(3, 0, "指标", book.fmt["header"])
    ws.write_string(3, 1, "数值", book.fmt["header"])
    for i, (label, value, fmt) in enumerate(figures, start=4):
        ws.write_string(i, 0, label, book.fmt["cell"])
        if value is None:
            ws.write_string(i, 1, "—", book.fmt["cell"])
        elif fmt is not None:
            ws.write_number(i, 1, value, fmt)
        else:
            ws.write_number(i, 1, value, book.fmt["number"])

    # the charts' data, on this sheet below the figures, each block followed by its chart
    row0 = 4 + len(figures) + 2
    classes = [(c["class"], c["talk_rate"] or 0, c["parent_rate"] or 0) for c in comp.classes]
    _data_block(book, ws, row0, ("班级", "谈心达标率", "家长联系达标率"), classes, pct)
    _chart(book, ws, "column", "各班达标率", 3, row0, len(classes),
           [(1, "谈心达标率", None), (2, "家长联系达标率", None)], legend=True,
           y_axis={"min": 0, "max": 1, "num_format": "0%"})

    row1 = row0 + len(classes) + 2
    totals = [m["score"]["total"] for m in mentors if m["score"].get("total") is not None]
    step = 1 if result.settings.assessment.scheme == "points" else 10
    bins = [(lo, lo + step) for lo in range(0, 10 * step, step)]
    counts = [(f"{lo}–{hi}", sum(lo <= t < hi or (hi == bins[-1][1] and t == hi) for t in totals)) for lo, hi in bins]
    _data_block(book, ws, row1, ("总分区间", "导师人数"), counts, book.fmt["number"])
    _chart(book, ws, "column", "导师考核总分分布", 19, row1, len(counts), [(1, "导师人数", "#5B9BD5")], x_axis={})

    row2 = row1 + len(counts) + 2
    per_category: dict[str, int] = {}
    for s in students:
        for c in s["attention"]:
            per_category[c] = per_category.get(c, 0) + 1
    cats = sorted(per_category.items(), key=lambda kv: (-kv[1], kv[0]))
    _data_block(book, ws, row2, ("关注类别", "学生人数"), cats, book.fmt["number"])
    _chart(book, ws, "bar", "重点关注学生（按类别）", 35, row2, max(len(cats), 1), [(1, "学生人数", "#ED7D31")],
           y_axis={})
    ws.fit_to_pages(1, 1)  # the overview is one A4 page


SUMMARY_SHEETS = ["概览", "导师考核", "班级达标", "导师达标", "重点关注学生", "表彰建议", "数据问题", "收到的文件", "未交或逾期",
                  "学年优秀导师", "班级学期对比", "导师学期对比", "月度对比", "重点关注跟踪"]

YEARLY_HEADERS = ["工号", "姓名", "任导班级", "第一学期总分", "第一学期排名", "第一学期谈心达标率", "第一学期家长联系达标率",
                  "第一学期达标状态", "第二学期总分", "第二学期排名", "第二学期谈心达标率", "第二学期家长联系达标率",
                  "第二学期达标状态", "学年平均总分", "学年排名", "推荐"]
TRACKING_HEADERS = ["班级", "学号", "姓名", "关注类别", "导师工号", "包靠领导", "在册月数", "转化情况", "提示"]


def yearly_rows(yearly: list[dict[str, Any]], recommended: set[str]) -> list[list[Any]]:
    rows = []
    for y in yearly:
        a, b = y["first"], y["second"]
        rows.append([y["teacher_id"], y["name"], "、".join(y["classes"]), a["total"], a["rank"], _pct(a["talk_rate"]),
                     _pct(a["parent_rate"]), STATUS_ZH.get(a["status"], a["status"]), b["total"], b["rank"],
                     _pct(b["talk_rate"]), _pct(b["parent_rate"]), STATUS_ZH.get(b["status"], b["status"]),
                     y["year_total"], y.get("year_rank"), "是" if y["teacher_id"] in recommended else "否"])
    return rows


def tracking_table(tracking: list[dict[str, Any]], months: list[str]) -> tuple[list[str], list[list[Any]]]:
    """重点关注跟踪: counts, flags and states only (no private text), a column per month and kind."""
    headers = TRACKING_HEADERS + [f"{kind} {m}" for m in months for kind in ("谈心", "家长联系", "档案")]
    rows = []
    for t in tracking:
        row = [t["class"], t["student_id"], t["name"], "、".join(t["attention"]), t["mentor_id"], t["leader"],
               t["months_on_list"], t["transformation"], "、".join(t["flags"])]
        for m in months:
            counts = t["months"].get(m, {})
            row += [counts.get("talks", 0), counts.get("contacts", 0), counts.get("archive", 0)]
        rows.append(row)
    return headers, rows


def _tracking_months(tracking: list[dict[str, Any]]) -> list[str]:
    return sorted({m for t in tracking for m in t["months"]})


def _across_sheets(book: Book, result: RunResult) -> None:
    """What the ledger's earlier terms add: the year's mentors, this term beside last, months side by side,
    the special-attention students month by month."""
    from workbook_engine.across_terms import AcrossTerms

    a = result.across or AcrossTerms()
    recommended = {r["id"] for r in result.recognition if r["type"] == "mentor_year"}
    book.table("学年优秀导师", YEARLY_HEADERS, yearly_rows(a.yearly, recommended), pct_cols=(5, 6, 10, 11))
    prev = "".join(a.previous) if a.previous else "上学期"
    rows = [[c["class"], _pct(c["talk_rate"]), _pct(c["talk_rate_before"]), c["talk_change"], _pct(c["parent_rate"]),
             _pct(c["parent_rate_before"]), c["parent_change"]] for c in a.class_trends]
    book.table("班级学期对比", ["班级", "本学期谈心达标率", f"{prev}谈心达标率", "谈心变化", "本学期家长联系达标率",
                          f"{prev}家长联系达标率", "家长联系变化"], rows, pct_cols=(1, 2, 3, 4, 5, 6))
    rows = [[t["teacher_id"], t["name"], t["total"], t["total_before"], t["total_change"], _pct(t["talk_rate"]),
             _pct(t["talk_rate_before"]), t["talk_change"], _pct(t["parent_rate"]), _pct(t["parent_rate_before"]),
             t["parent_change"]] for t in a.teacher_trends]
    book.table("导师学期对比", ["工号", "姓名", "本学期总分", f"{prev}总分", "总分变化", "本学期谈心达标率",
                          f"{prev}谈心达标率", "谈心变化", "本学期家长联系达标率", f"{prev}家长联系达标率", "家长联系变化"],
               rows, pct_cols=(5, 6, 7, 8, 9, 10))
    months = a.months
    headers = ["班级"] + [f"谈心 {m}" for m in months] + [f"家长联系 {m}" for m in months] + \
        ["本月谈心", "上月谈心", "谈心变化"]
    rows = []
    for c in a.class_months:
        talk = [c["talk"].get(m) for m in months]
        this, last = (talk[-1] if talk else None), (talk[-2] if len(talk) > 1 else None)
        rows.append([c["class"], *talk, *(c["parent"].get(m) for m in months), this, last,
                     None if this is None or last is None else round(this - last, 4)])
    book.table("月度对比", headers, rows, pct_cols=tuple(range(1, len(headers))))
    headers, rows = tracking_table(a.tracking, _tracking_months(a.tracking))
    book.table("重点关注跟踪", headers, rows)


def write_summary(result: RunResult, target: Path) -> Path:
    comp = result.compliance
    with atomic_path(target) as tmp:
        book = Book(tmp, constant_memory=False)
        _overview(book, result)
        _teacher_sheet(book, "导师考核", result.teachers, result)
        class_rows = [[c["class"], c["students"], _pct(c["talk_rate"]), _pct(c["parent_rate"]),
                       c["study_weeks_expected"], c["study_weeks_met"], c["community_months_expected"],
                       c["community_months_met"], c["attention_students"], c["escalated_students"]]
                      for c in comp.classes]
        ws = book.table("班级达标", ["班级", "学生数", "谈心达标率", "家长联系达标率", "应开学情研究(周)", "已开学情研究(周)",
                                   "应开共同体活动(月)", "已开共同体活动(月)", "重点关注学生", "需学校关注"], class_rows,
                        pct_cols=(2, 3))
        _colour_rates(book, ws, 1, len(class_rows), 2, result)
        _colour_rates(book, ws, 1, len(class_rows), 3, result)
        mrows = [[m["class"], m["teacher_id"], m["name"], m["mentees"], m["talk_periods_expected"], m["talk_periods_met"],
                  _pct(m["talk_rate"]), m["parent_periods_expected"], m["parent_periods_met"], _pct(m["parent_rate"]),
                  STATUS_ZH.get(m["status"], m["status"]),
                  {True: "按时", False: "未按时", None: "未到期"}[m.get("plan_on_time")]]
                 for m in comp.mentors if m["mentees"]]
        ws = book.table("导师达标", ["班级", "工号", "姓名", "受导人数", "应谈心(期)", "已谈心(期)", "谈心达标率",
                                   "应联系家长(月)", "已联系家长(月)", "家长联系达标率", "达标状态", "学期计划"], mrows,
                        pct_cols=(6, 9))
        _colour_rates(book, ws, 1, len(mrows), 6, result)
        _colour_rates(book, ws, 1, len(mrows), 9, result)
        _colour_status(book, ws, 1, len(mrows), 10)
        headers, rows = _attention_rows(result, comp.students)
        book.table("重点关注学生", headers, rows)
        book.table("表彰建议", ["类别", "年级", "班级", "对象", "编号", "依据"],
                   [[RECOGNITION_ZH[r["type"]], r["grade"], r["class"], r["name"], r["id"], r["reason"]]
                    for r in result.recognition], max_width=50)
        redact = Redactor(result.settings.privacy)
        book.table("数据问题", PROBLEM_HEADERS, _problem_rows([f for f in result.files if f.status != "skipped"],
                                                         redact), max_width=60)
        book.table("收到的文件", ["文件", "类型", "班级", "状态", "说明", "填表日期", "错误", "警告"],
                   [[redact.text(f.name), f.kind, f.class_name, STATUS[f.status][0], redact.text(f.reason), f.fill_date, f.errors,
                     f.warnings] for f in result.files], max_width=50)
        book.table("未交或逾期", ["班级", "情况", "最新填表日期", "距今天数"],
                   [[c, "未交文件", None, None] for c in result.report["missing_classes"]]
                   + [[c["class"], "逾期未更新", c["fill_date"], c["days_since"]] for c in result.report["late_classes"]])
        _across_sheets(book, result)
        used = {n.lower() for n in book.wb.sheetnames}
        for f in result.merged.class_files:
            write_grid(book, comp, f.class_name, safe_sheet_name("达标-" + (f.class_name or ""), used))
        book.close()
    return target


def _band_style(rate: float | None, result: RunResult, pct: bool = True) -> str:
    if rate is None:
        return "cell"
    p = result.settings.policy
    band = "good" if rate >= p.on_track else "warn" if rate >= p.needs_attention else "bad"
    return f"pct_{band}" if pct else band


STATUS_STYLE = {"on_track": "good", "needs_attention": "warn", "off_track": "bad"}


def by_class(result: RunResult) -> dict[str, dict[str, list[Any]]]:
    """class -> its mentors, files, class figures, overdue students, rejected and lost rows (one pass each)."""
    comp = result.compliance
    out: dict[str, dict[str, list[Any]]] = {}

    def group(kind: str, items: Any, key: Any) -> None:
        for item in items:
            out.setdefault(key(item), {}).setdefault(kind, []).append(item)

    group("mentors", comp.mentors, lambda m: m["class"])
    group("files", result.files, lambda f: f.class_name)
    group("classes", comp.classes, lambda c: c["class"])
    group("overdue", comp.overdue, lambda o: o["class"])
    group("rejected", result.merged.rejected, lambda r: r.class_name)
    group("lost", result.merged.lost, lambda r: r.class_name)
    group("conflicts", result.merged.conflicts, lambda c: c.kept.get("_class") or c.kept.get("class_name"))
    return out


def write_feedback(result: RunResult, class_name: str, target: Path,
                   groups: dict[str, dict[str, list[Any]]] | None = None) -> Path:
    """One class's feedback: its gaps, overdue students, mentors' scores, data problems and lost rows.
    `groups` is by_class(result), when several books are written."""
    from workbook_engine.books import fast_grid, row_text
    from workbook_engine.fastxlsx import FastBook, Styled

    comp = result.compliance
    own = (groups if groups is not None else by_class(result)).get(class_name, {})
    students = comp.students_by_class.get(class_name, [])
    mentors = own.get("mentors", [])
    names = {m["teacher_id"]: m["name"] for m in mentors}
    files = own.get("files", [])
    cls = next(iter(own.get("classes", [])), None)
    book = FastBook()
    figures: list[list[Any]] = [["班级", class_name], ["统计截至", result.as_of.isoformat()]]
    if cls:
        figures += [["学生数", cls["students"]],
                    ["谈心达标率", Styled(cls["talk_rate"], _band_style(cls["talk_rate"], result))],
                    ["家长联系达标率", Styled(cls["parent_rate"], _band_style(cls["parent_rate"], result))],
                    ["学情研究（已开/应开，周）", f"{cls['study_weeks_met']}/{cls['study_weeks_expected']}"],
                    ["共同体汇报会（已开/应开，月）" if result.settings.policy.community_meeting == "per_class"
                     else "共同体活动（已开/应开，共同体·月）",
                     f"{cls['community_months_met']}/{cls['community_months_expected']}"]]
        if cls.get("report_periods_expected"):
            figures.append(["学生汇报（已/应，半月）", f"{cls['report_periods_met']}/{cls['report_periods_expected']}"])
        if cls.get("community_reflections_expected"):
            reflections = f"{cls['community_reflections_met']}/{cls['community_reflections_expected']}"
            figures.append(["共同体心得（已交/应交）", reflections])
    figures += [["数据问题", sum(len(f.problems) for f in files)]]
    book.table("概况", ["项目", "内容"], figures)
    gaps = [[names.get(s["mentor_id"]) or s["mentor_id"], s["student_id"], s["name"],
             f"{s['talk_periods_met']}/{s['talk_periods_expected']}", "、".join(s["missing_talk_periods"]),
             f"{s['parent_periods_met']}/{s['parent_periods_expected']}", "、".join(s["missing_parent_periods"])]
            for s in students  # by mentor, then student id
            if s["missing_talk_periods"] or s["missing_parent_periods"]]
    book.table("未完成的周期", ["导师", "学号", "姓名", "谈心(已/应)", "缺谈心的周期", "家长联系(已/应)", "缺联系的月份"],
               gaps, max_width=60)
    book.table("当前逾期", ["学号", "姓名", "导师", "事项", "最近一次", "距今天数"],
               [[o["student_id"], o["name"], names.get(o["mentor_id"]) or o["mentor_id"], RULE_ZH[o["rule"]],
                 o["last"] or "从未", o["days_since"]] for o in own.get("overdue", [])])
    rows = []
    headers = mentor_headers(_score_scheme(result))
    status = headers.index("达标状态")
    for row, m in zip(_mentor_rows(mentors), _sorted_mentors(mentors)):
        row[status] = Styled(row[status], STATUS_STYLE.get(m["status"], "cell"))
        row[status + 1] = Styled(row[status + 1], _band_style(m["talk_rate"], result))
        row[status + 2] = Styled(row[status + 2], _band_style(m["parent_rate"], result))
        rows.append(row)
    book.table("导师得分", headers, rows, max_width=44)
    book.table("数据问题", PROBLEM_HEADERS, _problem_rows(files), max_width=60)
    book.table("未采用的行", ["来源文件", "工作表", "行号", "原因", "内容"],
               [[r.file, r.spec.name, r.row, r.reason, row_text(r.spec, r.record)]
                for r in own.get("rejected", [])], max_width=60)
    book.table("版本间缺失的行", ["工作表", "较早版本", "行号", "采用的版本", "内容"],
               [[r.spec.name, r.old_file, r.row, r.kept_file, row_text(r.spec, r.record)]
                for r in own.get("lost", [])], max_width=60)
    book.table(CONFLICT_SHEET, CONFLICT_HEADERS[1:], [r[1:] for r in conflict_rows(own.get("conflicts", []))],
               max_width=60)
    book.table(TALK_MONTHS_SHEET, TALK_MONTHS_HEADERS, talk_month_rows(comp, class_name, names), max_width=40)
    if cls and cls.get("report_periods_expected"):
        book.table("学生汇报", ["导师", "学号", "姓名", "汇报(已/应，半月)", "缺汇报的半月"],
                   [[names.get(s["mentor_id"]) or s["mentor_id"], s["student_id"], s["name"],
                     f"{s['report_periods_met']}/{s['report_periods_expected']}", "、".join(s["missing_report_periods"])]
                    for s in students if s["report_periods_expected"]], max_width=60)
    tracked = [t for t in (result.across.tracking if result.across else []) if t["class"] == class_name]
    book.table("重点关注跟踪", *tracking_table(tracked, _tracking_months(tracked)))
    fast_grid(book, comp, class_name, "达标表")
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target


TALK_MONTHS_SHEET = "谈话月度汇总"
TALK_MONTHS_HEADERS = ["导师", "工号", "月份", "谈话次数", "谈到的受导学生", "形式", "类型", "需学校关注"]


def talk_counts(c: dict[str, int]) -> str:
    """`面谈 3、电话 1`: counts of forms or types, most first (谈话月度汇总)."""
    return "、".join(f"{k} {n}" for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def talk_month_rows(comp: Any, class_name: str, names: dict[str, str]) -> list[list[Any]]:
    """谈话月度汇总 (seed 000: 每月总结谈话情况记录汇总一次): per mentor and month, counts only."""
    rows = [[names.get(m["teacher_id"]) or "", m["teacher_id"], m["month"], m["talks"], m["mentees_reached"],
             talk_counts(m["forms"]), talk_counts(m["types"]), m["flagged"]]
            for m in comp.talk_months if m["class"] == class_name]
    return sorted(rows, key=lambda r: (r[1], r[2]))


def feedback_targets(result: RunResult) -> list[tuple[str, Path]]:
    """(class, staged file) for every class's feedback book, from the run's one class -> file mapping."""
    return [(f.class_name, result.staged(result.layout.feedback[f.class_name])) for f in result.merged.class_files]


def write_feedback_books(result: RunResult, part: int = 0, parts: int = 1) -> list[Path]:
    """The feedback books (every `parts`-th one from `part`, to share the work between processes)."""
    groups = by_class(result)
    return [write_feedback(result, cls, path, groups) for cls, path in feedback_targets(result)[part::parts]]
