"""Watch an inbox with watchdog and re-run when files have stopped changing (debounced)."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Iterable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer


def _snapshot(inbox: Path, ignore: list[Path]) -> dict[str, tuple[int, float]]:
    """Size and mtime of every file: a new file is ready when two snapshots agree."""
    out = {}
    for p in sorted(inbox.rglob("*")):
        if any(p == i or i in p.parents for i in ignore):
            continue
        try:
            st = p.stat()
        except OSError:
            continue
        if p.is_file():
            out[str(p)] = (st.st_size, st.st_mtime)
    return out


class _Handler(FileSystemEventHandler):
    def __init__(self, changed: threading.Event, ignore: list[Path]) -> None:
        self.changed = changed
        self.ignore = ignore

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        path = Path(str(event.src_path)).resolve()
        if any(path == i or i in path.parents for i in self.ignore):
            return
        self.changed.set()


def watch(inbox: str | Path, run: Callable[[], None], debounce: float = 2.0,
          ignore: Iterable[Path] = (), stop: threading.Event | None = None, initial: bool = True) -> None:
    """Call run() once, then again each time the inbox changes and has been quiet for `debounce` seconds
    with every file's size and time unchanged. Returns on Ctrl-C or when `stop` is set."""
    inbox = Path(inbox).resolve()
    ignore_list = [Path(i).resolve() for i in ignore]
    stop = stop or threading.Event()
    changed = threading.Event()
    observer = Observer()
    observer.schedule(_Handler(changed, ignore_list), str(inbox), recursive=True)
    observer.start()
    try:
        if initial:
            run()
        while not stop.is_set():
            if not changed.wait(0.2):
                continue
            # debounce: wait until no event arrived for `debounce` seconds and the files are stable
            while not stop.is_set():
                changed.clear()
                before = _snapshot(inbox, ignore_list)
                if stop.wait(debounce):
                    break
                if not changed.is_set() and _snapshot(inbox, ignore_list) == before:
                    break
            if stop.is_set():
                break
            run()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join(timeout=5)
