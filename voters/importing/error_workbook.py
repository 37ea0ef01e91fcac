"""The preview's download: the original sheets with every row's problems in a column 错误说明.

Values are written as text (an ID number keeps all its digits, a date reads as in the preview) and
rows with problems are highlighted. The workbook is written directly as SpreadsheetML with inline
strings only: no cell can be a formula, and text starting with ``= + - @``, a tab or a carriage
return also carries Excel's quote prefix so that editing it keeps it text. A 100,000-row roll takes
about a second (openpyxl's writer takes twenty).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from .reader import Source, iter_all_rows
from .validate import RowError

ERROR_COLUMN_TITLE = "错误说明"
CSV_SHEET_TITLE = "选民名单"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Cell styles (indexes into cellXfs below).
_PLAIN, _TITLE, _ROW, _NOTE, _QUOTED, _ROW_QUOTED = range(6)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="3"><font><sz val="11"/><name val="等线"/></font>'
    '<font><b/><sz val="11"/><color rgb="FF9C0006"/><name val="等线"/></font>'
    '<font><sz val="11"/><color rgb="FF9C0006"/><name val="等线"/></font></fonts>'
    '<fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFFFF2CC"/><bgColor indexed="64"/></patternFill></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFF8CBAD"/><bgColor indexed="64"/></patternFill></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6">'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/>'
    '<xf numFmtId="49" fontId="2" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1" quotePrefix="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ENTITIES = {"\r": "&#13;"}


def cell_text(value: object) -> str:
    """A cell as the clerk saw it, as text: numbers without ``.0`` (15 significant digits, as Excel
    shows them), dates as ``YYYY-MM-DD``."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(f"{value:.15g}"), "f") if abs(value) >= 1e15 else f"{value:.15g}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _sheet_title(name: str, used: set[str]) -> str:
    title = name or CSV_SHEET_TITLE
    for forbidden in "[]:*?/\\":
        title = title.replace(forbidden, "_")
    title = title.strip("'")[:31] or CSV_SHEET_TITLE
    base, n = title, 2
    while title in used:
        title = f"{base[:27]}({n})"
        n += 1
    used.add(title)
    return title


def _cell(reference: str, text: str, style: int) -> str:
    if style == _PLAIN and text.startswith(FORMULA_TRIGGERS):
        style = _QUOTED
    elif style == _ROW and text.startswith(FORMULA_TRIGGERS):
        style = _ROW_QUOTED
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        text = escape(text, _ENTITIES)
    return f'<c r="{reference}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet_xml(rows: list[list[object]], header_row: int, messages: Mapping[int, list[str]]) -> Iterable[str]:
    """The worksheet XML in pieces: the original cells as text, plus the error column."""
    width = max((len(row) for row in rows), default=0)
    while width and all(len(row) < width or row[width - 1] in ("", None) for row in rows):
        width -= 1
    letters = [column_letter(i) for i in range(width + 1)]
    note_letter = letters[width]
    yield (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {_NS}>'
        f'<cols><col min="{width + 1}" max="{width + 1}" width="60" customWidth="1"/></cols><sheetData>'
    )
    for number, row in enumerate(rows, start=1):
        problems = messages.get(number)
        style = _ROW if problems else _PLAIN
        cells = [
            _cell(f"{letters[i]}{number}", text, style)
            for i, value in enumerate(row[:width])
            if (text := cell_text(value)) or problems
        ]
        if number == header_row:
            cells.append(_cell(f"{note_letter}{number}", ERROR_COLUMN_TITLE, _TITLE))
        elif problems:
            cells.append(_cell(f"{note_letter}{number}", "；".join(problems), _NOTE))
        if cells:
            yield _ILLEGAL_XML.sub("", f'<row r="{number}">{"".join(cells)}</row>')
    yield "</sheetData></worksheet>"


def build_error_workbook(
    source: Source,
    declared_name: str,
    errors: Iterable[RowError],
    *,
    header_rows: Mapping[str, int] | None = None,
) -> bytes:
    """An .xlsx of the original data sheets plus a 错误说明 column; answers its bytes.

    ``header_rows`` maps each data sheet's name to its (last) header row number, e.g.
    ``{s.name: s.header_rows[-1] for s in roll.sheets}``: only those sheets are written, and the
    header row gets the column title. Without it every visible sheet is written, titled in row 1.
    """
    messages: dict[str, dict[int, list[str]]] = {}
    for error in errors:
        column = f"{error.column}：" if error.column else ""
        messages.setdefault(error.sheet, {}).setdefault(error.row_number, []).append(column + error.message)

    buffer = io.BytesIO()
    titles: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as archive:
        for name, rows in iter_all_rows(source, declared_name):
            if header_rows is not None and name not in header_rows:
                continue
            header_row = header_rows[name] if header_rows is not None else 1
            titles.append(_sheet_title(name, set(titles)))
            with archive.open(f"xl/worksheets/sheet{len(titles)}.xml", "w", force_zip64=True) as out:
                pieces: list[str] = []
                for piece in _sheet_xml(rows, header_row, messages.get(name, {})):
                    pieces.append(piece)
                    if len(pieces) >= 1000:
                        out.write("".join(pieces).encode())
                        pieces.clear()
                out.write("".join(pieces).encode())
        if not titles:
            titles.append(CSV_SHEET_TITLE)
            archive.writestr("xl/worksheets/sheet1.xml", f"<worksheet {_NS}><sheetData/></worksheet>")
        _write_package(archive, titles)
    return buffer.getvalue()


def _write_package(archive: zipfile.ZipFile, titles: list[str]) -> None:
    numbers = range(1, len(titles) + 1)
    sheets = "".join(
        f'<sheet name={quoteattr(t)} sheetId="{n}" r:id="rId{n}"/>'
        for n, t in zip(numbers, titles, strict=True)
    )
    archive.writestr(
        "xl/workbook.xml",
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {_NS} xmlns:r="{_REL}">'
        f"<sheets>{sheets}</sheets></workbook>",
    )
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in numbers
    )
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{relations}<Relationship Id="rId{len(titles) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        "</Relationships>",
    )
    archive.writestr("xl/styles.xml", _STYLES)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in numbers
    )
    archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=overrides))
    archive.writestr(
        "_rels/.rels",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    )
