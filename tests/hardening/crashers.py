"""Per-file functions that misbehave the way a native reader can, for the isolation tests.
Module level, so worker processes can import them."""
from __future__ import annotations

import os
from pathlib import Path

from workbook_engine.execution import ProcessExecutor


def abort_on_crash(path: Path) -> str:
    if Path(path).stem == "crash":
        os.abort()  # SIGABRT, as python-calamine does on a zip bomb
    return Path(path).name


def allocate(path: Path) -> str:
    if Path(path).stem == "big":
        blob = bytearray(2 << 30)  # 2 GiB: over the worker's limit
        return str(len(blob))
    return Path(path).name


def crash_or_process(path: Path, settings):
    from workbook_engine.validation.validate import validate_and_hash

    if Path(path).stem == "crash":
        os.abort()
    return validate_and_hash(path, settings)


class CrashingExecutor(ProcessExecutor):
    """The default executor, with a reader that dies on files named crash.*"""

    def map_files(self, fn, paths, *args):
        return super().map_files(crash_or_process, paths, *args)


def hog(path: Path) -> str:
    """A reader that keeps allocating (touching every page) on files named hog.*, up to 3 GiB."""
    if Path(path).stem == "hog":
        import time

        blocks = []
        for _ in range(96):
            blocks.append(bytearray(32 << 20))  # zero-filled: resident at once
            time.sleep(0.02)
        return str(len(blocks))
    return Path(path).name


def hog_or_process(path: Path, settings):
    from workbook_engine.validation.validate import validate_and_hash

    hog(path)
    return validate_and_hash(path, settings)


class HoggingExecutor(ProcessExecutor):
    """The default executor with a 300 MB limit, whose reader runs away with memory on files named hog.*"""

    def __init__(self):
        super().__init__(workers=2, memory_mb=300)

    def map_files(self, fn, paths, *args):
        return super().map_files(hog_or_process, paths, *args)


def say(text: str) -> int:
    """A helper's job that writes to standard output without a newline or a flush (left in the buffer)."""
    import sys

    sys.stdout.write(text)
    return len(text)


class _FreedAtExit:
    def __init__(self, path: str) -> None:
        self.path = path

    def __del__(self) -> None:
        Path(self.path).write_text("freed")


_kept: list[_FreedAtExit] = []


def keep_until_exit(path: str) -> None:
    """A helper's job that leaves an object behind, one the interpreter's teardown would free (writing `path`)."""
    _kept.append(_FreedAtExit(path))


def collecting(path: Path) -> bool:
    """A reader's job that says whether the cycle collector runs in its process."""
    import gc

    return gc.isenabled()
