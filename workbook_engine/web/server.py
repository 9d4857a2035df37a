"""Serving the application with waitress: on 127.0.0.1 by default, the school network with --host 0.0.0.0.

waitress reads each request whole before the application sees it, so a slow client holds a connection, never
a worker thread; a request not complete within REQUEST_TIMEOUT_S gets 408 and its connection is closed; a body
over the limit is refused from its Content-Length (413) before it is read. Ctrl-C (or SIGTERM) stops the server;
a run under way is given RUN_STOP_GRACE_S to finish."""
from __future__ import annotations

import datetime as dt
import multiprocessing
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any, TextIO

import psutil

from workbook_engine.catalogue import t
from workbook_engine.errors import UsageError
from workbook_engine.execution import spawn_forced
from workbook_engine.publishing.publish import check_writable
from workbook_engine.reading.inbox import check_out_dir, resolve_settings
from workbook_engine.web.app import FORM_OVERHEAD, create_app, office_password

RUN_STOP_GRACE_S = 20.0  # a run under way when the server is stopped is given this long to finish (as `watch` does)
REQUEST_TIMEOUT_S = 120.0  # a request (an upload of limits.max_file_mb on a slow network included) arrives whole
THREADS = 8


def make_server(app: Any, host: str, port: int, max_body: int, lang: str = "zh",
                request_timeout: float = REQUEST_TIMEOUT_S) -> Any:
    """A waitress server for app, listening (port 0: any free port; `effective_port` says which)."""
    # waitress serves only `serve`: not loaded for the other commands
    from waitress.server import create_server
    from waitress.utilities import BadRequest

    class RequestTimeout(BadRequest):
        code, reason = 408, "Request Timeout"

    server = create_server(app, host=host, port=port, threads=THREADS, ident="workbook-engine",
                           max_request_body_size=max_body, channel_timeout=int(2 * request_timeout) + 1,
                           cleanup_interval=1, clear_untrusted_proxy_headers=True, expose_tracebacks=False)
    plain_maintenance = server.maintenance

    def maintenance(now: float) -> None:
        """waitress closes an idle connection without a word; one that began a request and has not sent it whole
        within request_timeout gets 408 (its own error response, sent by waitress) and is closed."""
        for channel in list(server.active_channels.values()):
            with channel.requests_lock:
                req = channel.request
                if req is None or req.completed or channel.requests:
                    continue
                first = req.__dict__.setdefault("_first_seen", now)
                if now - first < request_timeout:
                    continue
                req.error = RequestTimeout(t("web.timeout", lang, seconds=f"{request_timeout:g}"))
                req.completed = True
                channel.request = None
                channel.requests.append(req)
            server.add_task(channel)
        plain_maintenance(now)

    server.maintenance = maintenance
    return server


def addresses(host: str) -> list[str]:
    """The addresses to give teachers: this machine's IPv4 addresses when serving every interface."""
    if host not in ("0.0.0.0", "::", ""):
        return [host]
    found = [a.address for nics in psutil.net_if_addrs().values() for a in nics
             if a.family == socket.AF_INET and not a.address.startswith("127.")]
    return found or ["127.0.0.1"]


def serve(inbox: str | Path, out: str | Path, host: str = "127.0.0.1", port: int = 8765, config: str | None = None,
          lang: str = "zh", as_of: dt.date | None = None, stream: TextIO | None = None) -> int:
    """Serve until Ctrl-C; 0 when stopped. UsageError for a missing INBOX, OUT inside INBOX, bad settings or a
    port that is taken; publish.OutputError when OUT cannot be written."""
    stream = stream or sys.stdout
    # the checks' worker processes start from a server process that has the readers imported already (forkserver,
    # where the platform has it: a threaded server may not fork itself), so a check does not wait for the imports
    if "forkserver" in multiprocessing.get_all_start_methods() and not spawn_forced():
        from multiprocessing import forkserver  # a POSIX-only module: imported only where the platform has it

        multiprocessing.set_forkserver_preload(["workbook_engine.web.checks", "workbook_engine.validation.validate",
                                                "workbook_engine.writing.annotate"])
        forkserver.ensure_running()  # started now, so the first check does not wait for it either
    inbox, out = Path(inbox), Path(out)
    if not inbox.is_dir():
        raise UsageError(t("pipeline.no_inbox", lang, path=inbox))
    check_out_dir(inbox, out, lang)
    check_writable(out, lang)
    settings = resolve_settings(inbox, config, lang)
    app = create_app(inbox, out, settings, config, lang, as_of)
    max_body = int(settings.limits.max_file_mb * 1_000_000) + FORM_OVERHEAD
    try:
        server = make_server(app, host, port, max_body, lang)
    except OSError as exc:
        raise UsageError(t("web.cannot_listen", lang, host=host, port=port, error=exc.strerror or exc,
                               option="--port")) from None
    port = server.effective_port
    for address in addresses(host):
        base = f"http://{'[' + address + ']' if ':' in address else address}:{port}"
        print(t("web.started", lang, check=f"{base}/", office=f"{base}/office"), file=stream, flush=True)
    if office_password(settings) is None:
        print(t("web.no_password", lang, env="WORKBOOK_ENGINE_OFFICE_PASSWORD", setting="[web] office_password"),
              file=stream, flush=True)
    print(t("web.stop_hint", lang), file=stream, flush=True)

    def interrupt(*_: Any) -> None:
        raise KeyboardInterrupt

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, interrupt)
    try:
        server.run()  # (returns on Ctrl-C: waitress stops its threads)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    job = app.extensions["workbook_engine"]["job"]
    if job.busy():
        print(t("web.waiting_for_run", lang, seconds=f"{RUN_STOP_GRACE_S:g}"), file=stream, flush=True)
        deadline = time.monotonic() + RUN_STOP_GRACE_S
        while job.busy() and time.monotonic() < deadline:
            job.join(0.2)
    print(t("cli.stopped", lang), file=stream, flush=True)
    return 0
