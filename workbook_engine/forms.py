"""The two forms the seed plan names, printable as the school files them:

- 《学生发展共同体与全员导师制导师分工班级明细表》 (seed 001, 选配导师: 级部主任会同班主任 … 填写): one A4 page
  per class — each mentor with subject, communities, mentees, their 好/中/差 mix and how many need special
  attention — signed by the 班主任 and the 级部主任. Written by every `run` (it needs no compliance).
- 《导师工作手册》 (seed 001, 评价: 导师按要求及时、认真地填写好《导师工作手册》; 建立导师跟踪手册): with
  `run --handbooks`, one workbook per teacher holding that teacher's own mentees, talks, parent contacts and
  student reports in every class they mentor in, the monthly talk summary, compliance and score — and no other
  teacher's data. A private document, like a class's feedback book.

Both are written with books.Book (xlsxwriter, the celltext path): A4 portrait, the form's title in the page
header, page numbers in the footer, header rows repeated.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbook_engine.books import Book, safe_sheet_name
from workbook_engine.celltext import cell_text, sheet_title, write_text
from workbook_engine.output import atomic_path
from workbook_engine.privacy import Redactor

if TYPE_CHECKING:
    from workbook_engine.pipeline import RunResult

# every user-facing string of the two forms (one table, easy to move into a catalogue)
TEXT = {
    "assignment_title": "学生发展共同体与全员导师制导师分工班级明细表",
    "handbook_title": "导师工作手册",
    "page": "第 &P 页，共 &N 页",
    "school": "学校", "term": "学年学期", "grade": "年级", "class": "班级", "head": "班主任",
    "assignment_headers": ["序号", "导师", "工号", "任教学科", "角色", "共同体", "受导学生", "受导人数",
                           "学业水平搭配", "重点关注人数"],
    "total": "合计",
    "level_mix": "好 {好}  中 {中}  差 {差}",
    "unknown_level": "  未填 {n}",
    "no_community": "未分",
    "without_mentor": "未结对的学生",
    "sign_head": "班主任（签字）：",
    "sign_grade": "级部主任（签字）：",
    "sign_date": "日期：　　年　　月　　日",
    "sign_mentor": "导师（签字）：",
    "sign_check": "检查人（签字）：",
    # the handbook
    "cover": "基本信息",
    "teacher_id": "工号", "name": "姓名", "classes": "任导班级", "mentees": "受导人数", "as_of": "统计截至",
    "status": "达标状态", "talk_rate": "谈心达标率", "parent_rate": "家长联系达标率",
    "score": "考核得分", "rank": "全校排名", "note": "说明",
    "mentee_sheet": "受导学生",
    "mentee_headers": ["班级", "学号", "姓名", "性别", "学业水平", "共同体", "重点关注类别", "结对日期",
                       "谈心(已/应)", "缺谈心的周期", "家长联系(已/应)", "缺联系的月份"],
    "talk_sheet": "谈心记录",
    "talk_headers": ["班级", "日期", "学号", "学生姓名", "形式", "类型", "内容摘要", "后续措施", "需学校关注"],
    "contact_sheet": "家长联系",
    "contact_headers": ["班级", "日期", "学号", "学生姓名", "方式", "联系人", "内容摘要"],
    "report_sheet": "学生汇报",
    "report_headers": ["班级", "日期", "学号", "学生姓名", "形式", "内容摘要"],
    "months_sheet": "谈话月度汇总",
    "compliance_sheet": "达标与得分",
}


def _print_setup(ws: Any, title: str, landscape: bool = False) -> None:
    """A4, the form's title in the page header and page numbers in the footer."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_header(f"&C&\"-,Bold\"{_header_text(title)}")
    ws.set_footer(f"&C{TEXT['page']}")
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)


def _header_text(text: str) -> str:
    """Text for a page header: XML-safe, short (Excel allows 255 characters with the codes), & doubled."""
    return cell_text(text)[:100].replace("&", "&&")


def _class_info(result: RunResult) -> dict[str, dict[str, Any]]:
    return {f.class_name: (f.report.class_info if f.report else {}) for f in result.merged.class_files}


def _term_text(result: RunResult) -> str:
    return f"{result.school_year or ''}学年{result.term or ''}" if result.school_year else (result.term or "")


def _on_roster(student: dict[str, Any]) -> bool:
    return student.get("status") != "转出"


# -- 导师分工班级明细表 --------------------------------------------------------------------------------------------
def assignment_rows(mentors: list[dict[str, Any]], students: list[dict[str, Any]]) -> list[list[Any]]:
    """One class's table: each mentor in 导师名单 order (the head teacher too), then students with no mentor
    on the list, then the total. Student names only; attention as a count."""
    listed = [m for m in mentors if m.get("teacher_id")]
    ids = {m["teacher_id"] for m in listed}
    by_mentor: dict[Any, list[dict[str, Any]]] = {}
    for s in students:
        by_mentor.setdefault(s.get("mentor_id") if s.get("mentor_id") in ids else None, []).append(s)
    rows = []
    seen: set[str] = set()
    for m in listed:
        if m["teacher_id"] in seen:
            continue
        seen.add(m["teacher_id"])
        rows.append([len(rows) + 1, m.get("name"), m["teacher_id"], m.get("subject"), m.get("role"),
                     *_group_cells(by_mentor.get(m["teacher_id"], []))])
    if by_mentor.get(None):
        rows.append(["", TEXT["without_mentor"], "", "", "", *_group_cells(by_mentor[None])])
    total = _group_cells(students)
    rows.append([TEXT["total"], "", "", "", "", "", "", total[2], total[3], total[4]])
    return rows


def _group_cells(students: list[dict[str, Any]]) -> list[Any]:
    """共同体, 受导学生, 受导人数, 学业水平搭配, 重点关注人数 of a group of students."""
    communities = sorted({str(s["community"]) for s in students if s.get("community")}, key=lambda c: (len(c), c))
    if any(not s.get("community") for s in students):
        communities.append(TEXT["no_community"])
    levels = Counter(s.get("level") for s in students)
    mix = TEXT["level_mix"].format(**{k: levels.get(k, 0) for k in ("好", "中", "差")}) if students else ""
    unknown = sum(n for k, n in levels.items() if k not in ("好", "中", "差"))
    if unknown:
        mix += TEXT["unknown_level"].format(n=unknown)
    names = "、".join(str(s.get("name") or s.get("student_id")) for s in students)
    return ["、".join(communities), names, len(students), mix, sum(bool(s.get("attention")) for s in students)]


def write_assignment_form(result: RunResult, target: Path) -> Path:
    """导师分工班级明细表: a sheet per class, each printed on one A4 page (fitted to one page)."""
    records = result.merged.records
    mentors: dict[Any, list[dict[str, Any]]] = {}
    for m in records.get("mentors", []):
        mentors.setdefault(m.get("_class"), []).append(m)
    students: dict[Any, list[dict[str, Any]]] = {}
    for s in records.get("students", []):
        if _on_roster(s):
            students.setdefault(s.get("_class"), []).append(s)
    info = _class_info(result)
    redact = Redactor(result.settings.privacy, result.lang)  # the office's copy: a number typed into a name is masked
    with atomic_path(target) as tmp:
        book = Book(tmp, constant_memory=False)
        fmt = _form_formats(book)
        used: set[str] = set()
        for f in result.merged.class_files:
            cls = f.class_name
            rows = [[redact.text(v) if isinstance(v, str) else v for v in row]
                    for row in assignment_rows(mentors.get(cls, []), students.get(cls, []))]
            head = {k: redact.text(v) if isinstance(v, str) else v for k, v in info.get(cls, {}).items()}
            _assignment_sheet(book, fmt, safe_sheet_name(cls or TEXT["class"], used), cls, head, rows, result)
        if not result.merged.class_files:
            book.sheet(TEXT["assignment_title"][:31])
        book.close()
    return target


def _form_formats(book: Book) -> dict[str, Any]:
    """The forms' styles (10 pt, wrapped, ruled: styles.py "form.*")."""
    return {k: book.fmt["form." + k] for k in ("title", "label", "info", "head", "cell", "centre", "total", "sign")}


ASSIGNMENT_WIDTHS = [5, 9, 9, 9, 9, 8, 36, 8, 16, 12]


def _assignment_sheet(book: Book, fmt: dict[str, Any], sheet_name: str, cls: str | None, info: dict[str, Any],
                      rows: list[list[Any]], result: RunResult) -> None:
    ws = book.wb.add_worksheet(sheet_name)
    title = TEXT["assignment_title"]
    _print_setup(ws, title)
    ws.fit_to_pages(1, 1)  # one page per class, however many mentors
    ws.center_horizontally()
    headers = TEXT["assignment_headers"]
    last = len(headers) - 1
    for c, w in enumerate(ASSIGNMENT_WIDTHS):
        ws.set_column(c, c, w)
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, last, "", fmt["title"])
    write_text(ws, 0, 0, title, fmt["title"])
    line = [(TEXT["school"], info.get("school")), (TEXT["term"], _term_text(result)),
            (TEXT["grade"], info.get("grade")), (TEXT["class"], cls), (TEXT["head"], info.get("head_teacher"))]
    ws.merge_range(1, 0, 1, last, "", fmt["info"])
    write_text(ws, 1, 0, "　　".join(f"{k}：{v or ''}" for k, v in line), fmt["info"])
    for c, h in enumerate(headers):
        write_text(ws, 3, c, h, fmt["head"])
    ws.repeat_rows(3)
    for i, row in enumerate(rows, start=4):
        is_total = i == 4 + len(rows) - 1
        for c, v in enumerate(row):
            f = fmt["total"] if is_total else fmt["cell"] if c in (1, 6) else fmt["centre"]
            if isinstance(v, int) and not isinstance(v, bool):
                ws.write_number(i, c, v, f)
            elif v is None or v == "":
                ws.write_blank(i, c, None, f)
            else:
                write_text(ws, i, c, v, f)
        ws.set_row(i, max(20, 14 * _lines(row[6], ASSIGNMENT_WIDTHS[6])))  # the mentee list wraps in its column
    sign = 4 + len(rows) + 2
    ws.set_row(sign, 28)
    for row, col, end, text in ((sign, 0, 5, TEXT["sign_head"] + "＿＿＿＿＿＿＿＿"),
                                (sign, 6, last, TEXT["sign_grade"] + "＿＿＿＿＿＿＿＿"),
                                (sign + 1, 6, last, TEXT["sign_date"])):
        ws.merge_range(row, col, row, end, "", fmt["sign"])
        write_text(ws, row, col, text, fmt["sign"])
    ws.print_area(0, 0, sign + 1, last)


# -- 导师工作手册 ----------------------------------------------------------------------------------------------
HANDBOOK_PROCESSES = 4  # at most: a handbook takes ~40 ms, 600 teachers ~25 s in one process


def write_handbooks(result: RunResult) -> list[str]:
    """Each teacher's handbook into the stage; returns their paths relative to OUT (result.teachers order).
    Shared between this process and forked children (executor.Forked: in this process where fork is not
    available), every n-th teacher each."""
    import os

    from workbook_engine.executor import Forked

    if result.compliance is None or not result.layout or not result.layout.handbooks:
        return []
    handbooks = result.layout.handbooks
    targets = [(t, handbooks[t["teacher_id"]]) for t in result.teachers if t["teacher_id"] in handbooks]
    own = _by_teacher(result)
    parts = max(1, min(os.cpu_count() or 1, HANDBOOK_PROCESSES, len(targets)))

    def job(part: int) -> int:
        for t, rel in targets[part::parts]:
            write_handbook(result, t, own.get(t["teacher_id"], {}), result.staged(rel))
        return part

    children = [Forked(lambda _, part=part: job(part)) for part in range(1, parts)]
    for child in children:
        child.give()
    job(0)
    for child in children:
        child.wait()
    return [rel for _, rel in targets]


def _by_teacher(result: RunResult) -> dict[str, dict[str, list[Any]]]:
    """工号 -> its mentees, talks, contacts, reports, talk months and per-class compliance (one pass each)."""
    out: dict[str, dict[str, list[Any]]] = {}

    def group(kind: str, items: Any, key: str) -> None:
        for item in items:
            tid = item.get(key)
            if tid:
                out.setdefault(tid, {}).setdefault(kind, []).append(item)

    comp, records = result.compliance, result.merged.records
    group("mentees", comp.students, "mentor_id")
    group("talks", records.get("talks", []), "teacher_id")
    group("contacts", records.get("contacts", []), "teacher_id")
    group("reports", records.get("reports", []), "teacher_id")
    group("months", comp.talk_months, "teacher_id")
    group("mentors", comp.mentors, "teacher_id")
    return out


def _class_of(r: dict[str, Any]) -> Any:
    return r.get("_class") or r.get("class_name")


def write_handbook(result: RunResult, teacher: dict[str, Any], own: dict[str, list[Any]], target: Path) -> Path:
    """One teacher's 导师工作手册: cover with score and compliance, mentees, records, monthly summary."""
    from workbook_engine.summary import (
        STATUS_ZH,
        TALK_MONTHS_HEADERS,
        _mentor_rows,
        mentor_headers,
        score_cells,
        score_note,
    )

    title = f"{TEXT['handbook_title']}（{teacher['name'] or teacher['teacher_id']}）"
    roster = {(_class_of(s), s.get("student_id")): s for s in result.merged.records.get("students", [])}
    mentees = sorted(own.get("mentees", []), key=lambda s: (s["class"], s["student_id"]))
    students = {(s["class"], s["student_id"]): s["name"] for s in mentees}
    with atomic_path(target) as tmp:
        book = Book(tmp, constant_memory=False)
        fmt = _form_formats(book)
        score = teacher.get("score") or {}
        scheme = result.settings.assessment.scheme
        parts = dict(zip(mentor_headers(scheme)[4:-4], score_cells(score, teacher.get("rank"))))
        cover = [(TEXT["teacher_id"], teacher["teacher_id"]), (TEXT["name"], teacher["name"]),
                 (TEXT["term"], _term_text(result)), (TEXT["classes"], "、".join(teacher["classes"])),
                 (TEXT["mentees"], teacher["mentees"]), (TEXT["as_of"], result.as_of.isoformat()),
                 (TEXT["status"], STATUS_ZH.get(teacher["status"], teacher["status"])),
                 (TEXT["talk_rate"], _pct_text(teacher.get("talk_rate"))),
                 (TEXT["parent_rate"], _pct_text(teacher.get("parent_rate"))),
                 *((k, v) for k, v in parts.items()), (TEXT["note"], score_note(score))]
        ws = book.wb.add_worksheet(TEXT["cover"])
        _print_setup(ws, title)
        ws.fit_to_pages(1, 1)
        ws.set_column(0, 0, 18)
        ws.set_column(1, 1, 60)
        ws.merge_range(0, 0, 0, 1, "", fmt["title"])
        write_text(ws, 0, 0, title, fmt["title"])
        for i, (k, v) in enumerate(cover, start=2):
            write_text(ws, i, 0, k, fmt["head"])
            if v is None or v == "":
                ws.write_blank(i, 1, None, fmt["cell"])
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(i, 1, v, fmt["cell"])
            else:
                write_text(ws, i, 1, v, fmt["cell"])
        sign = len(cover) + 4
        for row, text in ((sign, TEXT["sign_mentor"] + "＿＿＿＿＿＿＿＿"),
                          (sign + 2, TEXT["sign_check"] + "＿＿＿＿＿＿＿＿　　" + TEXT["sign_date"])):
            ws.set_row(row, 28)
            ws.merge_range(row, 0, row, 1, "", fmt["sign"])
            write_text(ws, row, 0, text, fmt["sign"])
        _table(book, fmt, TEXT["mentee_sheet"], title, TEXT["mentee_headers"], [
            [s["class"], s["student_id"], s["name"], roster.get((s["class"], s["student_id"]), {}).get("gender"),
             roster.get((s["class"], s["student_id"]), {}).get("level"),
             roster.get((s["class"], s["student_id"]), {}).get("community"), s.get("attention") or "",
             roster.get((s["class"], s["student_id"]), {}).get("paired_on"),
             f"{s['talk_periods_met']}/{s['talk_periods_expected']}", "、".join(s["missing_talk_periods"]),
             f"{s['parent_periods_met']}/{s['parent_periods_expected']}", "、".join(s["missing_parent_periods"])]
            for s in mentees])
        key = lambda r: (str(_class_of(r)), str(r.get("date")), str(r.get("student_id")))
        _table(book, fmt, TEXT["talk_sheet"], title, TEXT["talk_headers"], [
            [_class_of(r), r.get("date"), r.get("student_id"), r.get("student_name") or
             students.get((_class_of(r), r.get("student_id"))), r.get("form"), r.get("topic"), r.get("summary"),
             r.get("follow_up"), r.get("escalate")] for r in sorted(own.get("talks", []), key=key)])
        _table(book, fmt, TEXT["contact_sheet"], title, TEXT["contact_headers"], [
            [_class_of(r), r.get("date"), r.get("student_id"), r.get("student_name") or
             students.get((_class_of(r), r.get("student_id"))), r.get("way"), r.get("contact_person"),
             r.get("summary")] for r in sorted(own.get("contacts", []), key=key)])
        if own.get("reports"):
            _table(book, fmt, TEXT["report_sheet"], title, TEXT["report_headers"], [
                [_class_of(r), r.get("date"), r.get("student_id"), students.get((_class_of(r), r.get("student_id"))),
                 r.get("form"), r.get("summary")] for r in sorted(own["reports"], key=key)])
        _table(book, fmt, TEXT["months_sheet"], title, [TEXT["class"], *TALK_MONTHS_HEADERS[2:]],
               talk_month_rows(own.get("months", [])))
        per_class = own.get("mentors", [])
        _table(book, fmt, TEXT["compliance_sheet"], title, mentor_headers(scheme),
               [[_pct_text(v) if isinstance(v, float) and h.endswith("达标率") else v
                 for h, v in zip(mentor_headers(scheme), row)] for row in _mentor_rows(per_class)],
)
        book.close()
    return target


def talk_month_rows(months: list[dict[str, Any]]) -> list[list[Any]]:
    """谈话月度汇总 of one teacher over their classes: the feedback book's counts, with the class first."""
    from workbook_engine.summary import talk_counts

    return sorted([[m["class"], m["month"], m["talks"], m["mentees_reached"], talk_counts(m["forms"]),
                    talk_counts(m["types"]), m["flagged"]] for m in months], key=lambda r: (r[0], r[1]))


def _pct_text(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.1%}"


WRAPPED = {"受导学生", "内容摘要", "后续措施", "缺谈心的周期", "缺联系的月份", "说明", "形式", "类型"}


def _table(book: Book, fmt: dict[str, Any], name: str, title: str, headers: list[str], rows: list[list[Any]],
           landscape: bool = True) -> None:
    """A table sheet of the handbook: header repeated on every page, long text wrapped in its column."""
    from workbook_engine.fastxlsx import column_widths

    ws = book.wb.add_worksheet(sheet_title(name))
    _print_setup(ws, title, landscape)
    ws.fit_to_pages(1, 0)
    widths = column_widths(headers, rows, 40)
    wrapped = {}
    for c, h in enumerate(headers):
        if h in WRAPPED:
            widths[c] = wrapped[c] = min(widths[c], 30 if h == "内容摘要" else 20)
        ws.set_column(c, c, widths[c])
        write_text(ws, 0, c, h, fmt["head"])
    ws.repeat_rows(0)
    ws.freeze_panes(1, 0)
    for i, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is None or v == "" or v == []:
                ws.write_blank(i, c, None, fmt["cell"])
            elif isinstance(v, (str, list)):
                write_text(ws, i, c, v, fmt["cell"])
            else:
                book.write(ws, i, c, v)
        lines = max((_lines(row[c], w) for c, w in wrapped.items() if c < len(row)), default=1)
        if lines > 1:  # wrapped text gets the height it needs (no reader measures it on opening)
            ws.set_row(i, 14 * lines)


def _lines(value: Any, width: int) -> int:
    """How many lines a text takes in a column `width` characters wide (a CJK character is two)."""
    from workbook_engine.fastxlsx import text_width

    if value is None or value == "":
        return 1
    return max(1, -(-text_width(value) // max(width - 1, 1)))
