"""The preview's download: the original sheets with every row's problems in a column 错误说明.

Values are written as text (an ID number keeps all its digits, a date reads as in the preview) and
rows with problems are highlighted. Cell text starting with ``= + - @``, a tab or a carriage return
is stored as a plain string with Excel's quote prefix, never as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from .reader import Source, iter_all_rows
from .validate import RowError

ERROR_COLUMN_TITLE = "错误说明"
CSV_SHEET_TITLE = "选民名单"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ROW_FILL = PatternFill("solid", start_color="FFF2CC")  # rows with problems
_ERROR_FILL = PatternFill("solid", start_color="F8CBAD")
_ERROR_FONT = Font(color="9C0006")
_HEADER_FONT = Font(bold=True, color="9C0006")


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


def _sheet_title(name: str, used: set[str]) -> str:
    title = (name or CSV_SHEET_TITLE)[:31]
    for forbidden in "[]:*?/\\":
        title = title.replace(forbidden, "_")
    base, n = title, 2
    while title in used:
        title = f"{base[:28]}({n})"
        n += 1
    used.add(title)
    return title


def _text_cell(sheet: Any, text: str, fill: PatternFill | None = None) -> Any:
    """A plain string where safe; a cell forced to text type (and quote-prefixed) for formula-like text."""
    if not text.startswith(FORMULA_TRIGGERS) and fill is None:
        return text
    cell = WriteOnlyCell(sheet, value=text)
    if text.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
        cell.quotePrefix = True
    if fill is not None:
        cell.fill = fill
    return cell


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
    messages: dict[tuple[str, int], list[str]] = {}
    for error in errors:
        column = f"{error.column}：" if error.column else ""
        messages.setdefault((error.sheet, error.row_number), []).append(column + error.message)

    workbook = Workbook(write_only=True)
    used_titles: set[str] = set()
    for name, rows in iter_all_rows(source, declared_name):
        if header_rows is not None and name not in header_rows:
            continue
        header_row = header_rows[name] if header_rows is not None else 1
        sheet = workbook.create_sheet(_sheet_title(name, used_titles))
        width = max((len(row) for row in rows), default=0)
        while width and all(len(row) < width or row[width - 1] in ("", None) for row in rows):
            width -= 1
        sheet.column_dimensions[_column_letter(width)].width = 60
        for number, row in enumerate(rows, start=1):
            texts = [cell_text(value) for value in row[:width]]
            texts += [""] * (width - len(texts))
            problems = messages.get((name, number))
            if number == header_row:
                title = WriteOnlyCell(sheet, value=ERROR_COLUMN_TITLE)
                title.font = _HEADER_FONT
                sheet.append([_text_cell(sheet, t) for t in texts] + [title])
            elif problems:
                note = WriteOnlyCell(sheet, value="；".join(problems))
                note.fill, note.font = _ERROR_FILL, _ERROR_FONT
                note.data_type = "s"
                sheet.append([_text_cell(sheet, t, _ROW_FILL) for t in texts] + [note])
            else:
                sheet.append([_text_cell(sheet, t) for t in texts])
    if not used_titles:
        workbook.create_sheet(CSV_SHEET_TITLE)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
