"""The routes (Flask): the teachers' self-check, the office's board and run button, the principal's figures.

Every request path is a route's parameter, never a file name: a check is found by its token among the checks the
session made, a download by its SHA-256 among the published set's recorded outputs. Every form carries the
session's CSRF token; the office's pages need the password (or, without one set, this machine)."""
from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import os
import secrets
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Flask, Request, abort, jsonify, redirect, render_template, request, send_file, session, url_for
from werkzeug.exceptions import HTTPException

from workbook_engine.catalogue import t
from workbook_engine.errors import UsageError
from workbook_engine.ledger.history import history
from workbook_engine.model import Executor
from workbook_engine.settings import Settings
from workbook_engine.web.board import board as office_board
from workbook_engine.web.checks import CheckStore, RateLimit
from workbook_engine.web.figures import figures
from workbook_engine.web.published import published_set
from workbook_engine.web.runjob import RunJob

PASSWORD_ENV = "WORKBOOK_ENGINE_OFFICE_PASSWORD"
FORM_OVERHEAD = 64 * 1024  # the multipart envelope around an upload of limits.max_file_mb
LOGIN_TRIES = 10  # wrong passwords one address may try in ten minutes
OFFICE_HOURS = 8  # an office login lasts this long
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = {  # every response: no script or style from elsewhere, no framing, nothing sniffed as another type
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class StrictRequest(Request):
    """A request whose malformed form body is an error (Werkzeug's parser would otherwise drop it in silence and
    the page would only say that the form's token is missing)."""

    def make_form_data_parser(self) -> Any:
        parser = super().make_form_data_parser()
        parser.silent = False
        return parser


def office_password(settings: Settings) -> str | None:
    """The office's password: WORKBOOK_ENGINE_OFFICE_PASSWORD when set, else `[web] office_password`; None if
    neither is set (then the office's pages open only on this machine)."""
    return os.environ.get(PASSWORD_ENV) or settings.web.office_password or None


def is_local(address: str | None) -> bool:
    try:
        return ipaddress.ip_address((address or "").split("%")[0]).is_loopback
    except ValueError:
        return False


def create_app(inbox: str | Path, out: str | Path, settings: Settings, config: str | None = None, lang: str = "zh",
               as_of: dt.date | None = None, executor: Executor | None = None) -> Flask:
    """The application for INBOX and OUT. OUT/.workbook-engine-web holds the checks (for an hour) and the
    submissions' receipts; nothing else is written but by `run` and by a submit into INBOX."""
    inbox, out = Path(inbox), Path(out)
    app = Flask(__name__)
    app.request_class = StrictRequest
    app.secret_key = secrets.token_bytes(32)  # sessions end with the server
    app.config.update(MAX_CONTENT_LENGTH=int(settings.limits.max_file_mb * 1_000_000) + FORM_OVERHEAD,
                      MAX_FORM_PARTS=16, SESSION_COOKIE_NAME="workbook_engine", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Strict")
    store = CheckStore(inbox, out, settings, lang, executor)
    job = RunJob(inbox, out, config, lang, as_of)
    logins = RateLimit(LOGIN_TRIES, 600)
    password = office_password(settings)
    app.extensions["workbook_engine"] = {"store": store, "job": job}
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    app.jinja_env.globals.update(T=T, lang=lang, html_lang="en" if lang == "en" else "zh-CN",
                                 csrf=lambda: session["csrf"], has_password=password is not None)

    def checking(check: Any = None) -> str:
        return render_template("check.html", check=check, limit=f"{settings.limits.max_file_mb:g}",
                               limit_bytes=int(settings.limits.max_file_mb * 1_000_000))

    def message(code: int, key: str, **kw: Any) -> tuple[str, int]:
        return render_template("message.html", code=code, title=T(f"web.error.{code}"), text=T(key, **kw)), code

    @app.before_request
    def guard() -> Any:
        session.setdefault("sid", secrets.token_urlsafe(24))
        session.setdefault("csrf", secrets.token_urlsafe(24))
        if request.method == "POST":
            try:
                given = request.form.get("csrf", "")  # (parses the form: a body over the limit is refused here, 413)
            except ValueError:  # cut off or malformed
                return message(400, "web.malformed")
            if not hmac.compare_digest(given.encode(), session["csrf"].encode()):
                return message(403, "web.csrf")
        return None

    @app.after_request
    def headers(response: Any) -> Any:
        response.headers.update(HEADERS)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        """Every refusal as a page in the user's words, with its status (a body over the limit: 413)."""
        if exc.code == 413:
            return message(413, "web.too_large", limit=f"{settings.limits.max_file_mb:g}", setting="limits.max_file_mb")
        status = exc.code or 500
        code = status if f"web.error.{status}" in _KNOWN else 500 if status >= 500 else 400
        return message(code, f"web.error.{code}.text")

    def office(view: Callable[..., Any]) -> Callable[..., Any]:
        """The office's pages: the password's session, or (no password set) a request from this machine."""
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if password is None:
                if not is_local(request.remote_addr):
                    return message(403, "web.local_only", env=PASSWORD_ENV, setting="[web] office_password")
            elif time.time() - session.get("office", 0) > OFFICE_HOURS * 3600:
                return redirect(url_for("login", next=request.path))
            return view(*args, **kwargs)
        return wrapped

    # -- teachers: the self-check ------------------------------------------------------------------------------
    @app.get("/")
    def index() -> Any:
        return checking()

    @app.post("/check")
    def check_upload() -> Any:
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return message(400, "web.no_file")
        if not store.rate.allow(request.remote_addr or ""):
            return message(429, "web.too_many_checks", n=settings.web.checks_per_hour)
        check = store.add(session["sid"], upload.filename, upload.stream)
        return redirect(url_for("check_result", token=check.token), 303)

    def own_check(token: str) -> Any:
        check = store.get(token, session["sid"])
        if check is None:
            abort(404)
        return check

    @app.get("/check/<token>")
    def check_result(token: str) -> Any:
        check = own_check(token)
        return checking(check)

    @app.get("/check/<token>/annotated")
    def annotated(token: str) -> Any:
        path = own_check(token).annotated
        if path is None or not path.is_file():
            abort(404)
        return send_file(path, mimetype=XLSX, as_attachment=True, download_name=path.name)

    @app.post("/check/<token>/submit")
    def submit(token: str) -> Any:
        check = own_check(token)
        if not check.submittable:
            return message(409, "web.not_submittable")
        store.submit(check)
        return redirect(url_for("check_result", token=token), 303)

    # -- the office ----------------------------------------------------------------------------------------
    @app.route("/office/login", methods=["GET", "POST"])
    def login() -> Any:
        if password is None:
            return redirect(url_for("board"))
        wrong = False
        if request.method == "POST":
            if not logins.allow(request.remote_addr or ""):
                return message(429, "web.login_tries")
            if hmac.compare_digest(request.form.get("password", "").encode(), password.encode()):
                session["office"] = time.time()
                session["csrf"] = secrets.token_urlsafe(24)  # a new token with the new rights
                target = request.args.get("next", "")
                return redirect(target if target.startswith("/office") else url_for("board"), 303)
            wrong = True
        return render_template("login.html", wrong=wrong), 401 if wrong else 200

    @app.post("/office/logout")
    def logout() -> Any:
        session.pop("office", None)
        return redirect(url_for("index"), 303)

    @app.get("/office")
    @office
    def board() -> Any:
        view = office_board(inbox, published_set(out), store.submissions(), settings, lang)
        return render_template("office.html", view=view, job=job.status())

    @app.post("/office/run")
    @office
    def run_now() -> Any:
        job.start()  # (one at a time: a press while a run is under way starts nothing)
        return redirect(url_for("board"), 303)

    @app.get("/office/run/status")
    @office
    def run_status() -> Any:
        return jsonify(job.status())

    @app.get("/office/summary")
    @office
    def summary() -> Any:
        published = published_set(out)
        if published is None:
            return message(404, "web.not_run")
        try:
            terms = history(out, settings, lang=lang).rows
        except UsageError:  # no ledger, or one that cannot be read: the page goes without the trend
            terms = []
        return render_template("summary.html", view=figures(published, terms, lang))

    @app.get("/office/files/<sha256>")
    @office
    def download(sha256: str) -> Any:
        published = published_set(out)
        found = published.output_file(sha256) if published and len(sha256) == 64 else None
        if found is None:
            abort(404)
        path, name = found
        return send_file(path, as_attachment=True, download_name=name,
                         mimetype=XLSX if name.lower().endswith(".xlsx") else "application/octet-stream")

    return app


_KNOWN = {f"web.error.{code}" for code in (400, 403, 404, 405, 408, 409, 413, 429, 500)}
