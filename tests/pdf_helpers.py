"""Reading PDFs back with poppler (pdftotext, pdfinfo), for the print and PDF tests."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest


def normalized(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_text(path: Path, *pages: int) -> str:
    first_last = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    result = subprocess.run(
        ["pdftotext", *first_last, str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def printed_text(page, tmp_path: Path, name: str, paper: str = "A4") -> str:
    """What a page prints (Chromium's print to PDF), read back as one line of text."""
    page.emulate_media(media="print")
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(page.pdf(format=paper))
    page.emulate_media(media="screen")
    if not shutil.which("pdftotext"):
        pytest.fail("poppler-utils is missing: ./dev test installs it")
    return normalized(pdf_text(pdf))
