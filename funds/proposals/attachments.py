"""Attachment checks by content (not by name) and storage under generated names."""

import hashlib
import secrets
from pathlib import Path

from funds.errors import N_
from funds.rules import Violation

PDF_MAGIC = b"%PDF-"
KINDS = ("description", "cv", "budget_justification", "partner_letter", "other")


def looks_like_pdf(data: bytes) -> bool:
    """A PDF starts with %PDF- and ends with an %%EOF marker near the end of the file."""
    return data.startswith(PDF_MAGIC) and b"%%EOF" in data[-2048:] and b"startxref" in data


def check_upload(data: bytes, *, kind: str, max_bytes: int, pdf_only: bool) -> list[Violation]:
    """Why a file cannot be accepted, if it cannot (empty, too large, not what it claims)."""
    if kind not in KINDS:
        return [Violation("kind", N_("Choose what kind of document this is."))]
    if not data:
        return [Violation("file", N_("The file is empty."))]
    if len(data) > max_bytes:
        return [
            Violation(
                "file",
                N_("The file is larger than %(limit_mb)s MB."),
                {"limit_mb": max_bytes // (1024 * 1024)},
            )
        ]
    if data.startswith(PDF_MAGIC) and not looks_like_pdf(data):
        return [Violation("file", N_("The PDF file is broken or incomplete; export it again."))]
    if pdf_only and not looks_like_pdf(data):
        return [Violation("file", N_("This call accepts PDF files only; this file is not a PDF."))]
    return []


def content_type(data: bytes) -> str:
    return "application/pdf" if looks_like_pdf(data) else "application/octet-stream"


def store(data: bytes, directory: Path) -> tuple[str, str]:
    """Write the bytes under a random name; return (stored name, SHA-256 hex)."""
    directory.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    target = directory / name
    tmp = directory / f".{name}.part"
    tmp.write_bytes(data)
    tmp.replace(target)  # atomic: a reader never sees half a file
    return name, hashlib.sha256(data).hexdigest()


def clean_filename(name: str) -> str:
    """The user's file name for display only (never used as a path)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    return "".join(ch for ch in base if ch.isprintable())[:255]
