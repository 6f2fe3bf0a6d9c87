"""Limits an uploaded XLSX workbook must keep before anything parses it (ASVS 5.0 V5.2.3).

An XLSX file is a zip of XML: a few hundred kilobytes can unpack to hundreds of megabytes
and millions of rows, which pandas and openpyxl would hold in memory for minutes. The checks
here read only the zip's directory and then stream the worksheets' XML, counting rows, and
stop at the first limit passed. Large data sets belong in CSV, which is read in chunks.
"""

import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from funds.errors import N_, SpreadsheetRefused

MB = 2**20


@dataclass(frozen=True)
class XlsxLimits:
    max_bytes: int = 10 * MB  # the file as uploaded
    max_unpacked_bytes: int = 100 * MB  # every member of the zip, uncompressed
    max_members: int = 500
    max_rows: int = 100_000  # per worksheet, header included


LIMITS = XlsxLimits()
_ROW = re.compile(rb"<(?:\w{1,8}:)?row[\s>/]")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]{1,3}[0-9]+:[A-Z]{1,3}([0-9]+)\"")
_CHUNK = MB


def check_xlsx(stream: BinaryIO, limits: XlsxLimits = LIMITS) -> None:
    """Raise SpreadsheetRefused unless the workbook is a zip within every limit."""
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size > limits.max_bytes:
        raise SpreadsheetRefused(
            N_("The spreadsheet is larger than %(limit_mb)s MB; split it or import it as CSV."),
            limit_mb=limits.max_bytes // MB,
        )
    try:
        with zipfile.ZipFile(stream) as archive:
            _check_members(archive, limits)
            for info in archive.infolist():
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    _check_rows(archive, info, limits.max_rows)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        EOFError,
        OSError,
    ) as exc:  # not a zip, damaged, encrypted, or sizes that lie (CRC)
        raise SpreadsheetRefused(N_("The file is not a readable XLSX workbook.")) from exc
    finally:
        stream.seek(0)


def _check_members(archive: zipfile.ZipFile, limits: XlsxLimits) -> None:
    members = archive.infolist()
    unpacked = sum(info.file_size for info in members)
    if len(members) > limits.max_members or unpacked > limits.max_unpacked_bytes:
        raise SpreadsheetRefused(
            N_(
                "The spreadsheet unpacks to more than %(limit_mb)s MB; "
                "split it or import it as CSV."
            ),
            limit_mb=limits.max_unpacked_bytes // MB,
        )


def _check_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_rows: int) -> None:
    """Count <row> elements while decompressing; the declared dimension counts too."""
    rows, tail, first = 0, b"", True
    # zipfile stops at the declared size and checks the CRC, so a member cannot unpack to
    # more than its directory entry said (already bounded above).
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            text = tail + chunk
            if first and (found := _DIMENSION.search(text)) and int(found[1]) > max_rows:
                _too_many_rows(max_rows)
            first = False
            # a tag may straddle two chunks: a "<" in the last 16 bytes waits for the next
            # round (a row tag is at most 14 bytes long and holds no other "<")
            last = text.rfind(b"<")
            cut = last if last >= 0 and last >= len(text) - 16 else len(text)
            rows += len(_ROW.findall(text, 0, cut))
            tail = text[cut:]
            if rows > max_rows:
                _too_many_rows(max_rows)
    if rows + len(_ROW.findall(tail)) > max_rows:
        _too_many_rows(max_rows)


def _too_many_rows(max_rows: int):
    raise SpreadsheetRefused(
        N_("The spreadsheet has more than %(limit)s rows; split it or import it as CSV."),
        limit=max_rows,
    )
