"""The office's "run now" button: one `run` at a time in a background thread, its progress and its result."""
from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

from workbook_engine.errors import EngineError
from workbook_engine.pipeline import run_inbox
from workbook_engine.publishing.publish import OutputError


class RunJob:
    """`run INBOX --out OUT` started from the page. A second press while it runs starts nothing; a run from the
    console at the same time holds OUT, and this one waits for it (the state says so)."""

    def __init__(self, inbox: Path, out: Path, config: str | None, lang: str, as_of: dt.date | None = None) -> None:
        self.inbox, self.out, self.config, self.lang, self.as_of = inbox, out, config, lang, as_of
        self.lock = threading.Lock()
        self.state: dict[str, Any] = {"state": "idle"}
        self.thread: threading.Thread | None = None

    def start(self) -> bool:
        """Start a run unless one is under way; False when one is."""
        with self.lock:
            if self.state["state"] in ("waiting", "running"):
                return False
            self.state = {"state": "running", "done": 0, "total": None, "started": time.time()}
            self.thread = threading.Thread(target=self._run, name="workbook-engine-run", daemon=True)
            self.thread.start()
        return True

    def status(self) -> dict[str, Any]:
        with self.lock:
            return dict(self.state)

    def busy(self) -> bool:
        return self.status()["state"] in ("waiting", "running")

    def join(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)

    def _update(self, **kw: Any) -> None:
        with self.lock:
            self.state.update(kw)

    def _advance(self, _: Any) -> None:
        with self.lock:
            self.state["done"] = self.state.get("done", 0) + 1

    def _run(self) -> None:
        try:
            result = run_inbox(self.inbox, self.out, config=self.config, as_of=self.as_of, lang=self.lang,
                               progress=self._advance, on_start=lambda n: self._update(total=n, state="running"),
                               on_wait=lambda: self._update(state="waiting"))
        except OutputError as exc:  # the outputs could not be written: the previous set is intact
            self._update(state="failed", exit_code=3, error=str(exc), finished=time.time())
        except EngineError as exc:  # bad settings, no inbox …
            self._update(state="failed", exit_code=2, error=str(exc), finished=time.time())
        except Exception as exc:
            self._update(state="failed", exit_code=1, error=f"{type(exc).__name__}: {exc}", finished=time.time())
        else:
            s = result.report["summary"]
            self._update(state="done", exit_code=result.exit_code, files=s["files"], errors=s["errors"],
                         warnings=s["warnings"], missing=list(result.report["missing_classes"]),
                         finished=time.time())
