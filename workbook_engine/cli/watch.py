"""Watch an inbox and re-run when files have stopped changing (debounced, with a bounded wait).

Lock, hidden and temporary files (discovery's own rules, `inbox.noise_reason`) and hidden folders are
ignored, so a sync client touching its state files neither triggers nor delays a run. With `poll`, the
folder is scanned every `poll` seconds instead (network shares where change events do not arrive).
Nothing here opens a file: the snapshot looks at names and stat() only, so a FIFO cannot block it."""
from __future__ import annotations

import inspect
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from workbook_engine.reading.inbox import noise_reason


def _inside(path: Path, folders: list[Path]) -> bool:
    return any(path == f or f in path.parents for f in folders)


def is_noise(path: Path, inbox: Path) -> bool:
    """A change nobody needs a run for: a lock, hidden or temporary file, anything in a hidden folder, or
    a path outside the inbox. Decided from the name alone."""
    try:
        parts = path.relative_to(inbox).parts
    except ValueError:
        return True
    if not parts:
        return False
    return any(p.startswith(".") for p in parts[:-1]) or bool(noise_reason(parts[-1]))


def _snapshot(inbox: Path, ignore: list[Path]) -> dict[str, tuple[int, int]]:
    """Size and mtime of every regular file a run would read: a new file is ready when two snapshots agree.
    Only names and stat(): nothing is opened, so a FIFO or a device cannot block the watcher."""
    out: dict[str, tuple[int, int]] = {}
    for root, dirs, files in os.walk(inbox):
        here = Path(root)
        dirs[:] = [d for d in dirs if not d.startswith(".") and not _inside(here / d, ignore)]
        for name in files:
            path = here / name
            if noise_reason(name) or _inside(path, ignore):
                continue
            try:
                st = os.stat(path)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                out[str(path)] = (st.st_size, st.st_mtime_ns)
    return out


class _Handler(FileSystemEventHandler):
    def __init__(self, changed: threading.Event, inbox: Path, ignore: list[Path]) -> None:
        self.changed = changed
        self.inbox = inbox
        self.ignore = ignore

    def _counts(self, raw: object) -> bool:
        if not raw:
            return False
        path = Path(os.path.abspath(os.fsdecode(raw)))  # type: ignore[arg-type]
        return not is_noise(path, self.inbox) and not _inside(path, self.ignore)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's listing changed: the file's own event says whether that matters
        if self._counts(event.src_path) or self._counts(getattr(event, "dest_path", "")):
            self.changed.set()


def _takes_argument(run: Callable[..., None]) -> bool:
    try:
        params = inspect.signature(run).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL) for p in params)


def watch(inbox: str | Path, run: Callable[..., None], debounce: float = 2.0,
          ignore: Iterable[Path] = (), stop: threading.Event | None = None, initial: bool = True,
          max_wait: float | None = None, poll: float | None = None) -> None:
    """Call run() once, then again each time the inbox changes: when it has been quiet for `debounce`
    seconds with every file's size and time unchanged, or at the latest `max_wait` seconds (default five
    debounces) after that, even if changes keep coming (a file still being copied is then reported by the
    run as still being written, and run again once it settles). A `run` that takes an argument gets the set
    of files still changing when it was started (empty once all have settled), for `run_inbox(unsettled=)`.
    With `poll`, scan every `poll` seconds instead of relying on change events. Returns on Ctrl-C or when
    `stop` is set."""
    inbox = Path(inbox).resolve()
    ignore_list = [Path(i).resolve() for i in ignore]
    stop = stop or threading.Event()
    max_wait = 5 * debounce if max_wait is None else max_wait
    changed = threading.Event()

    def observe() -> BaseObserver:
        started: BaseObserver = PollingObserver(timeout=poll) if poll else Observer()
        started.schedule(_Handler(changed, inbox, ignore_list), str(inbox), recursive=True)
        started.start()
        return started

    observer = observe()
    with_unsettled = _takes_argument(run)

    def run_and_check(unsettled: frozenset[str] = frozenset()) -> None:
        nonlocal observer
        before = _snapshot(inbox, ignore_list)
        # the watcher's threads stop while the run works (a process running other threads may not fork, and the
        # run would write its workbooks one after another in one process); what changes meanwhile is seen below
        observer.stop()
        observer.join(timeout=5)
        try:
            if with_unsettled:
                run(unsettled)
            else:
                run()
        finally:
            observer = observe()
        if _snapshot(inbox, ignore_list) != before:
            changed.set()  # something landed or grew during the run: go again once it settles

    try:
        if initial:
            run_and_check()
        while not stop.is_set():
            if not changed.wait(0.2):
                continue
            # debounce: wait until no event arrived for `debounce` seconds and the files are stable, or
            # until max_wait has passed since the first change
            latest = time.monotonic() + debounce + max_wait
            unsettled: frozenset[str] = frozenset()
            while not stop.is_set():
                changed.clear()
                before = _snapshot(inbox, ignore_list)
                if stop.wait(max(0.0, min(debounce, latest - time.monotonic()))):
                    break
                after = _snapshot(inbox, ignore_list)
                if not changed.is_set() and after == before:
                    unsettled = frozenset()
                    break
                if time.monotonic() >= latest:
                    unsettled = frozenset(p for p, key in after.items() if before.get(p) != key)
                    break
            if stop.is_set():
                break
            run_and_check(unsettled)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join(timeout=5)
