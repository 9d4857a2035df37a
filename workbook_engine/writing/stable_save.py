"""Saving an openpyxl workbook so that the same workbook always gives the same bytes."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from workbook_engine.writing.fastxlsx import fixed_zip_info


def save_openpyxl(wb: Any, path: Path) -> Path:
    """Save an openpyxl workbook so that the same workbook gives the same bytes: openpyxl stamps the save time
    (docProps/core.xml dcterms:modified, and every zip entry); both are set to fixed values here (modified =
    created, the book's own date)."""
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                created = re.search(r"<dcterms:created[^>]*>([^<]*)<", text)
                stamp = created.group(1) if created else "2026-01-01T00:00:00Z"
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\g<2>", text)
                data = text.encode("utf-8")
            z.writestr(fixed_zip_info(info.filename), data)
    return path
