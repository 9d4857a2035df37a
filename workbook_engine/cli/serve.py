"""The school's web page (serve): teachers check their own files, the office follows the term."""
from __future__ import annotations

import argparse


def cmd_serve(args: argparse.Namespace) -> int:
    from workbook_engine.web.server import serve  # flask and waitress are loaded only for `serve`

    return serve(args.inbox, args.out, args.host, args.port, args.config, args.lang)
