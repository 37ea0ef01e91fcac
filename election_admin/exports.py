"""Excel exports (openpyxl). Text that Excel would read as a formula (= + - @) is written as text."""

import hashlib
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_PREFIXES = ("=", "+", "-", "@")


def safe_cell(cell, value) -> None:
    """Write ``value``; a string starting with = + - @ is forced to text (no formula injection)."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True


def workbook_bytes(*, title: str, header: list[str], rows: list[list], meta: list[str]) -> tuple[bytes, str]:
    """One sheet: a few meta lines (who, when, what), the header in bold, then the rows.
    Returns the file and its SHA-256."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    row_number = 1
    for line in meta:
        safe_cell(sheet.cell(row=row_number, column=1), line)
        row_number += 1
    for column, label in enumerate(header, start=1):
        cell = sheet.cell(row=row_number, column=column)
        safe_cell(cell, label)
        cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=row_number + 1, column=3)
    for values in rows:
        row_number += 1
        for column, value in enumerate(values, start=1):
            safe_cell(sheet.cell(row=row_number, column=column), value)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 24
    buffer = BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    return data, hashlib.sha256(data).hexdigest()
