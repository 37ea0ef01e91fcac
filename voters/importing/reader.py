"""Spreadsheet file (.xlsx, .xls, .csv) → data sheets: a recognised header and the rows below it.

Excel files are read with python-calamine, which keeps each cell's type: an ``int``/``float`` in the
ID column means a numeric cell, i.e. an identity card number Excel has already truncated. Rows are
yielded lazily with the row number Excel shows (1-based); vertically merged data cells (a 村民小组
merged over its rows) are filled down.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import IO

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from .columns import FIELD_LABELS, ColumnMap, combine_header_rows, map_columns

HEADER_SCAN_ROWS = 15
MIN_RECOGNISED_COLUMNS = 2
SILENTLY_SKIPPED_SHEET_WORDS = ("说明", "示例", "选项")  # the template's own sheets
EXCEL_EXTENSIONS = {".xlsx", ".xls"}
CSV_EXTENSIONS = {".csv"}

Cells = Sequence[object]
Source = str | os.PathLike[str] | IO[bytes]


class RollFileError(Exception):
    """The file cannot be read as a roll at all; ``str()`` is a plain-Chinese message."""


@dataclass(slots=True)
class DataSheet:
    """One sheet holding voters: its header and its rows below the header, read lazily once."""

    name: str
    columns: ColumnMap
    header_rows: tuple[int, ...]  # 1-based row numbers of the header (two when combined)
    first_row: int  # the row number Excel shows (1-based) of the first of ``rows``
    rows: Iterator[Cells]  # consecutive rows, cells aligned with the header; blank ones included
    last_row: int | None = None  # the last row number, when known before reading (for a progress bar)

    @property
    def expected_rows(self) -> int | None:
        """How many rows ``rows`` will yield, when known."""
        return None if self.last_row is None else max(0, self.last_row - self.first_row + 1)

    def numbered_rows(self) -> Iterator[tuple[int, Cells]]:
        """(row number as Excel shows it, cells)."""
        return enumerate(self.rows, start=self.first_row)


@dataclass(slots=True)
class RollFile:
    """What :func:`read_roll` found: data sheets, notes (skipped sheets…) and file-level errors."""

    sheets: list[DataSheet] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def has_several_sheets(self) -> bool:
        return len(self.sheets) > 1

    @property
    def expected_rows(self) -> int | None:
        """Data rows (blank ones included) in all data sheets, for a progress bar's total; None if unknown."""
        counts = [sheet.expected_rows for sheet in self.sheets]
        return None if None in counts else sum(counts)  # type: ignore[arg-type]


def extension_of(name: str) -> str:
    return Path(name).suffix.lower()


def read_roll(source: Source, declared_name: str | None = None) -> RollFile:
    """Open an uploaded roll and find its data sheets; run ``safety.check_upload`` first.

    ``declared_name`` (the uploaded file's name) decides the format; it defaults to the path's name.
    Raises :class:`RollFileError` when the file cannot be read.
    """
    name = declared_name or (os.fspath(source) if isinstance(source, str | os.PathLike) else "")
    extension = extension_of(name)
    if extension in EXCEL_EXTENSIONS:
        return _read_excel(source)
    if extension in CSV_EXTENSIONS:
        return _read_csv(source)
    raise RollFileError("只能导入 .xlsx、.xls 或 .csv 文件")


# --- header detection -------------------------------------------------------------------------


def find_header(top_rows: Sequence[Cells]) -> tuple[ColumnMap, int, int] | None:
    """The best header among the first rows: (columns, first row index, row count), or None.

    A two-row header (a merged "选民信息" over "姓名 | 性别") is used only when combining two rows
    recognises more columns than either row alone.
    """
    best: tuple[ColumnMap, int, int] | None = None
    best_score = MIN_RECOGNISED_COLUMNS - 1
    for index, row in enumerate(top_rows):
        candidates = [(row, 1)]
        if index + 1 < len(top_rows):
            candidates.append((combine_header_rows(row, top_rows[index + 1]), 2))
        for cells, count in candidates:
            columns = map_columns(cells)
            score = len(columns.columns)
            if score > best_score:
                best, best_score = (columns, index, count), score
    return best


def _sheet_from_rows(
    name: str,
    rows: Iterator[Cells],
    result: RollFile,
    *,
    fill: _FillDown | None = None,
    last_row: int | None = None,
) -> None:
    """Detect the header in ``rows``, then register the sheet (or a note / an error)."""
    top = list(islice(rows, HEADER_SCAN_ROWS))
    if not any(any(str(c).strip() for c in row) for row in top):
        return
    found = find_header(top)
    label = f"工作表“{name}”" if name else "文件"
    if found is None:
        if not any(word in name for word in SILENTLY_SKIPPED_SHEET_WORDS):
            result.notes.append(f"{label}前 {HEADER_SCAN_ROWS} 行没有找到选民名单的表头，已跳过")
        return
    columns, first, count = found
    if columns.missing_required:
        missing = "、".join(FIELD_LABELS[f] for f in columns.missing_required)
        result.errors.append(
            f"{label}缺少必填列：{missing}。找到的表头是：{'、'.join(columns.headers)}。"
            "请在表头中使用“姓名”“公民身份号码”等列名。"
        )
        return
    data_start = first + count
    data: Iterator[Cells] = chain(top[data_start:], rows)
    if fill is not None and fill.starts:
        data = fill.apply(data, data_start + 1)
    header_rows = tuple(range(first + 1, first + count + 1))
    result.sheets.append(
        DataSheet(
            name=name,
            columns=columns,
            header_rows=header_rows,
            first_row=data_start + 1,
            rows=data,
            last_row=last_row,
        )
    )


# --- Excel ------------------------------------------------------------------------------------


class _FillDown:
    """Copies the value of a vertically merged cell into the rows below it (calamine leaves them blank)."""

    def __init__(self, ranges: Iterable[tuple[tuple[int, int], tuple[int, int]]], column_offset: int) -> None:
        self.starts: dict[int, list[tuple[int, int]]] = {}  # top row → [(column, last row)]
        for (top, left), (bottom, _right) in ranges:
            if bottom > top:
                self.starts.setdefault(top + 1, []).append((left - column_offset, bottom + 1))

    def apply(self, rows: Iterator[Cells], first_row: int) -> Iterator[Cells]:
        active: list[tuple[int, int, object]] = []  # (column, last row, value)
        for number, cells in enumerate(rows, start=first_row):
            if active:
                active = [a for a in active if a[1] >= number]
                if active:
                    cells = list(cells)
                    for column, _last, value in active:
                        if 0 <= column < len(cells) and cells[column] == "":
                            cells[column] = value
            for column, last in self.starts.get(number, ()):
                if 0 <= column < len(cells):
                    active.append((column, last, cells[column]))
            yield cells


def _read_excel(source: Source) -> RollFile:
    result = RollFile()
    try:
        workbook = CalamineWorkbook.from_object(source)
    except PasswordError:
        raise RollFileError("文件设置了打开密码，请在 Excel 中取消密码后再上传") from None
    except (CalamineError, OSError, ValueError) as error:
        raise RollFileError(f"文件已损坏或不是 Excel 文件，无法读取（{type(error).__name__}）") from None
    for meta in workbook.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
        except CalamineError as error:
            raise RollFileError(f"工作表“{meta.name}”无法读取（{type(error).__name__}）") from None
        start = sheet.start
        if start is None:
            continue
        if meta.visible != SheetVisibleEnum.Visible:
            if find_header(list(islice(sheet.iter_rows(), HEADER_SCAN_ROWS))) is not None:
                result.notes.append(f"工作表“{meta.name}”是隐藏的，其中的名单没有导入")
            continue
        # iter_rows() yields rows from row 1, but columns only from the first used column.
        fill = _FillDown(sheet.merged_cell_ranges or (), start[1])
        end = sheet.end
        last_row = end[0] + 1 if end is not None else None
        _sheet_from_rows(meta.name, iter(sheet.iter_rows()), result, fill=fill, last_row=last_row)
    if not result.sheets and not result.errors:
        result.errors.append(_no_header_message(result))
    return result


def _no_header_message(result: RollFile) -> str:
    return (
        "没有找到选民名单的表头：表头行需要包含“姓名”“公民身份号码”等列名"
        f"（会在每个工作表的前 {HEADER_SCAN_ROWS} 行中查找）。"
    )


# --- CSV --------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's “Unicode 文本”), else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise RollFileError("无法识别文件的文字编码，请在 Excel 中另存为“CSV UTF-8”或 .xlsx 格式") from None


def _sniff_delimiter(text: str) -> str:
    sample = text[:20_000]
    return "\t" if sample.count("\t") > sample.count(",") else ","


def _read_csv(source: Source) -> RollFile:
    if isinstance(source, str | os.PathLike):
        data = Path(source).read_bytes()
    else:
        source.seek(0)
        data = source.read()
    text = decode_text(data)
    del data
    result = RollFile()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    lines = text.count("\n") + (not text.endswith("\n"))  # records, unless quoted cells hold newlines
    _sheet_from_rows("", iter(reader), result, last_row=lines)
    if not result.sheets and not result.errors:
        result.errors.append(_no_header_message(result))
    return result


def iter_all_rows(
    source: Source, declared_name: str | None = None
) -> Iterator[tuple[str, list[list[object]]]]:
    """Every visible worksheet as (name, rows from row 1 and column A); for the error workbook."""
    name = declared_name or (os.fspath(source) if isinstance(source, str | os.PathLike) else "")
    if extension_of(name) in CSV_EXTENSIONS:
        if isinstance(source, str | os.PathLike):
            data = Path(source).read_bytes()
        else:
            source.seek(0)
            data = source.read()
        text = decode_text(data)
        yield (
            "",
            [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))],
        )
        return
    workbook = CalamineWorkbook.from_object(source)
    for meta in workbook.sheets_metadata:
        if meta.typ == SheetTypeEnum.WorkSheet and meta.visible == SheetVisibleEnum.Visible:
            yield meta.name, workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
