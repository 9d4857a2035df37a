"""LibreOffice as a person's spreadsheet application: convert workbooks, print them to PDF and read the words on
each page back with their sizes (pdftotext -bbox). Used by the slow tests; soffice is None where it is not
installed (those tests are skipped with the reason)."""
from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
FILTERS = {"pdf": "pdf", "xlsx": "xlsx:Calc MS Excel 2007 XML", "ods": "ods", "xls": "xls:MS Excel 97"}
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def convert(files: list[Path], fmt: str, outdir: Path, tmp: Path) -> list[Path]:
    """Convert with soffice in its own profile (parallel runs collide otherwise), and check every output
    exists: soffice exits 0 even when it could not load a file."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = (tmp / f"lo-profile-{uuid.uuid4().hex}").as_uri()
    proc = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                           "--convert-to", FILTERS[fmt], "--outdir", str(outdir), *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    outs = [outdir / f"{f.stem}.{fmt}" for f in files]
    missing = [o.name for o in outs if not o.exists() or o.stat().st_size == 0]
    assert not missing, f"soffice did not write {missing}: {proc.stdout} {proc.stderr}"
    return outs


def render(paths: list[Path], outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    profile = (outdir / f"lo-{uuid.uuid4().hex}").as_uri()
    copies = []
    for i, p in enumerate(paths):  # distinct names: four feedback books and the copies share stems
        copy = outdir / f"{i:02d}-{p.stem}.xlsx"
        shutil.copy(p, copy)
        copies.append(copy)
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, copies)], capture_output=True, timeout=600)
    pdfs = [c.with_suffix(".pdf") for c in copies]
    assert all(p.exists() and p.stat().st_size for p in pdfs), [p.name for p in pdfs if not p.exists()]
    return pdfs


def pages(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Per page, its words as (width, height, text) from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[(float(x1) - float(x0), float(y1) - float(y0), w) for x0, y0, x1, y1, w in WORD.findall(page)]
            for page in html.split("<page ")[1:]]
