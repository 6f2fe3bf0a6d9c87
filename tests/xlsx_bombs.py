"""Hostile XLSX workbooks, built in memory for the import-limit tests (no files checked in)."""

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _workbook(sheet_parts) -> bytes:
    """A minimal valid workbook whose one sheet is written from an iterable of XML pieces."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for part in sheet_parts:
                sheet.write(part.encode())
    return buffer.getvalue()


def _header(columns) -> str:
    cells = "".join(f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in columns)
    return f'<row r="1">{cells}</row>'


def rows_bomb(columns, rows: int = 2_000_000, batch: int = 10_000) -> bytes:
    """Real rows, each the same inline text: compresses about 1:300 (a few MB of file)."""

    def parts():
        yield SHEET_HEAD + "<sheetData>" + _header(columns)
        row = "<row>" + '<c t="inlineStr"><is><t>1</t></is></c>' * len(columns) + "</row>"
        for _ in range(rows // batch):
            yield row * batch
        yield "</sheetData></worksheet>"

    return _workbook(parts())


def declared_bomb(columns, declared_rows: int = 2_000_000) -> bytes:
    """A sheet whose dimension claims two million rows and which holds a header only;
    readers that trust the dimension pad out every row."""
    last = chr(ord("A") + len(columns) - 1)
    return _workbook(
        [
            SHEET_HEAD + f'<dimension ref="A1:{last}{declared_rows}"/>'
            "<sheetData>" + _header(columns) + "</sheetData></worksheet>"
        ]
    )


def huge_cell_bomb(columns, megabytes: int = 300) -> bytes:
    """One cell holding hundreds of MB of text: unpacks far beyond its file size."""

    def parts():
        yield SHEET_HEAD + "<sheetData>" + _header(columns) + '<row><c t="inlineStr"><is><t>'
        for _ in range(megabytes):
            yield "A" * 2**20
        yield "</t></is></c></row></sheetData></worksheet>"

    return _workbook(parts())
