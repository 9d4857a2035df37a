"""Where the per-file stage runs: a small interface, processes by default, in-process for one file or tests.

Anything with ``map_files(fn, paths, *args)`` yielding ``(index, fn(path, *args))`` as results arrive can
stand in (a cluster engine, say); results may come in any order, the index says which path they belong to.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Callable, Iterator, Protocol, Sequence


class Executor(Protocol):
    def map_files(self, fn: Callable[..., Any], paths: Sequence[Any], *args: Any) -> Iterator[tuple[int, Any]]: ...


class SerialExecutor:
    """Run every file in this process, in order."""

    def map_files(self, fn: Callable[..., Any], paths: Sequence[Any], *args: Any) -> Iterator[tuple[int, Any]]:
        for i, path in enumerate(paths):
            yield i, fn(path, *args)


class ProcessExecutor:
    """Run files in a pool of worker processes (all cores by default)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)

    def map_files(self, fn: Callable[..., Any], paths: Sequence[Any], *args: Any) -> Iterator[tuple[int, Any]]:
        if len(paths) <= 1 or self.workers == 1:
            yield from SerialExecutor().map_files(fn, paths, *args)
            return
        method = "forkserver" if sys.platform != "win32" else "spawn"
        ctx = multiprocessing.get_context(method)
        with ProcessPoolExecutor(max_workers=min(self.workers, len(paths)), mp_context=ctx) as pool:
            futures = {pool.submit(fn, path, *args): i for i, path in enumerate(paths)}
            for future in as_completed(futures):
                yield futures[future], future.result()


def default_executor(n_files: int) -> Executor:
    return ProcessExecutor() if n_files > 2 else SerialExecutor()
