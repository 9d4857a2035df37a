"""A progress bar for long runs on a terminal (files and rows), silent when output is not a terminal."""
from __future__ import annotations

from types import TracebackType
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from workbook_engine.catalogue import t
from workbook_engine.reading.inbox import InboxFile


class RunProgress:
    """The bar `run` and `watch` show while files are read (rich, on a terminal only). Redrawn as each file arrives,
    never by a thread of its own: while another thread runs, the run may not fork (execution.fork_allowed), and its
    workbooks would be written one after another in one process (0.7 s more for 40 classes)."""

    def __init__(self, stream: IO[str], lang: str = "zh") -> None:
        self.lang = lang
        self.enabled = hasattr(stream, "isatty") and stream.isatty()
        self.stream = stream
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self.rows = 0

    def __enter__(self) -> RunProgress:
        if self.enabled:
            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn(t("progress.rows", self.lang, rows="{task.fields[rows]}")),
                                      TimeElapsedColumn(),
                                      console=Console(file=self.stream), transient=True, auto_refresh=False)
            self._progress.__enter__()
        return self

    def start(self, total: int) -> None:
        if self._progress is not None:
            self._task = self._progress.add_task(t("progress.reading", self.lang), total=total, rows=0)
            self._progress.refresh()

    def advance(self, entry: InboxFile) -> None:
        if self._progress is None or self._task is None:
            return
        report = entry.report
        self.rows += sum(report.rows.values()) if report else 0
        self._progress.update(self._task, advance=1, rows=self.rows, refresh=True)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.__exit__(kind, exc, tb)
