"""What fetch-mail keeps in INBOX (the state file: messages seen, files saved with their provenance, receipts owed,
sent and dropped) and what one fetch did."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook_engine.files import atomic_path


@dataclass
class FetchResult:
    saved: list[Path] = field(default_factory=list)
    messages: int = 0
    skipped_seen: int = 0
    receipts: list[tuple[str, str]] = field(default_factory=list)  # (file, address) a receipt was sent to
    receipt_failures: dict[str, str] = field(default_factory=dict)  # file -> why its receipt was not sent


def load_state(path: Path) -> dict[str, Any]:
    state = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for key, empty in (("seen", []), ("files", {}), ("receipts", {}), ("pending_receipts", [])):
        state.setdefault(key, empty)
    return state


def save_state(path: Path, state: dict[str, Any]) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
