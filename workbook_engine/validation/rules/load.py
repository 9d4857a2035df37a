"""A mentor's load over the whole school (《小学学情会商制度实施方案》: 每位任课教师（班主任除外）需要受导多名学生):
a subject teacher mentoring fewer than `[policy] min_mentees` students over all their classes is warned at each of
their rows in the classes' 导师名单. Checked after the classes are combined (a teacher is one person across
classes); a teacher with none at all is `mentor-without-mentee` of each class instead."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbook_engine.catalogue import t
from workbook_engine.validation.rules import W, code

if TYPE_CHECKING:
    from workbook_engine.settings import Settings

code("too-few-mentees", W, "pairing")


def too_few_mentees(mentor_rows: list[dict[str, Any]], teachers: list[dict[str, Any]], settings: Settings
                    ) -> list[tuple[dict[str, Any], str, str]]:
    """(导师名单 row, detail in Chinese, in English) for each row of a teacher who is no class's 班主任, is in
    post, and has at least one but fewer than min_mentees current mentees over all classes."""
    least = settings.policy.min_mentees
    heads = {r.get("teacher_id") for r in mentor_rows if r.get("role") == "班主任"}
    load = {t["teacher_id"]: t["mentees"] for t in teachers}
    out = []
    for r in mentor_rows:
        tid = r.get("teacher_id")
        n = load.get(tid, 0)
        if tid in heads or r.get("status") == "离岗" or not 0 < n < least:
            continue
        out.append((r, t("rules.too_few_mentees", "zh", n=n, least=least),
                    t("rules.too_few_mentees", "en", n=n, least=least)))
    return out
