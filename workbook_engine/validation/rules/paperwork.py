"""The mentor's own monthly summary in 计划总结 (《学情会商制度实施方案》五.4: 每月总结谈话情况记录汇总一次): a row of 类型
月度总结 counts for the month of its 提交日期, so a row without one counts for no month — a warning at its cell, the row
kept (compliance._monthly_summaries)."""
from __future__ import annotations

from workbook_engine.schema import MONTHLY_SUMMARY
from workbook_engine.validation.rules import ClassBook, W, rule


@rule("monthly-summary-without-date", W, "relation")
def monthly_summary_without_date(book: ClassBook) -> None:
    for _, papers in book.present("paperwork"):
        column = papers.spec.column("date")
        for rec in papers.records:
            if rec.get("kind") == MONTHLY_SUMMARY and rec.get("date") is None:
                book.add("monthly-summary-without-date", papers.name, rec["_row"],
                         papers.columns.get("date") or papers.columns.get("kind"), column.header, rec["kind"])
