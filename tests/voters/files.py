"""Builders of real test spreadsheets (in tmp_path) and of made-up, checksum-valid ID numbers.

No real person's number is used: :func:`make_id` computes the GB 11643 check character for a
青海 region code, a birth date and a sequence number.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from voters.idnumber import check_char

HEADER = [
    "姓名",
    "性别",
    "民族",
    "公民身份号码",
    "出生日期",
    "村民小组",
    "家庭住址",
    "联系电话",
    "登记类别",
    "批准文号",
    "备注",
]
REGIONS = ("630121", "630102", "632123", "632221", "632524")  # 大通县, 城东区, 乐都, 门源, 共和…


def make_id(born: date = date(1980, 5, 3), sequence: int = 123, region: str = "630121") -> str:
    """A checksum-valid 18-character number; an odd ``sequence`` is a man, an even one a woman."""
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    return body + check_char(body)


def voter_row(
    name: str = "张三",
    *,
    born: date = date(1980, 5, 3),
    sequence: int = 123,
    gender: str | None = None,
    ethnicity: str = "汉族",
    birth_text: object = None,
    group: str = "一组",
    category: str = "户籍且居住",
    approval: str = "",
    id_number: object = None,
) -> list[object]:
    """A row for :data:`HEADER`; gender and birth date agree with the ID unless given."""
    number = make_id(born, sequence) if id_number is None else id_number
    return [
        name,
        gender if gender is not None else ("男" if sequence % 2 else "女"),
        ethnicity,
        number,
        born.isoformat() if birth_text is None else birth_text,
        group,
        "某某村 1 号",
        "13800000000",
        category,
        approval,
        "",
    ]


# --- openpyxl (styles, merges, typed cells) ----------------------------------------------------


def write_xlsx(
    path: Path, sheets: dict[str, Sequence[Sequence[object]]], *, merges: dict[str, list[str]] | None = None
) -> Path:
    """An .xlsx with one sheet per entry; ``None`` cells are left empty; strings stay text."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # keep "=…" text as text, like a clerk's typed cell
        for merged in (merges or {}).get(name, []):
            sheet.merge_cells(merged)
    workbook.save(path)
    return path


def write_xls(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    """A real BIFF8 .xls (Excel 97–2003) through xlwt."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in sheets.items():
        sheet = workbook.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, date):
                    sheet.write(r, c, value, date_style)
                else:
                    sheet.write(r, c, value)
    workbook.save(str(path))
    return path


def write_csv(
    path: Path, rows: Iterable[Sequence[object]], *, encoding: str = "utf-8-sig", delimiter: str = ","
) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# --- raw OOXML (fast, shared strings as Excel writes them) --------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}"
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def write_fast_xlsx(
    path: Path, sheets: dict[str, Iterable[Sequence[object]]], *, shared_strings_xml: str | None = None
) -> Path:
    """An .xlsx written as Excel does (shared strings, typed numbers), quickly and in little memory.

    ``shared_strings_xml`` replaces the generated sharedStrings.xml (to plant hostile XML).
    """
    strings: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for number, (_name, rows) in enumerate(sheets.items(), start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as out:
                out.write(
                    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {_NS}><sheetData>'.encode()
                )
                chunk: list[str] = []
                for r, row in enumerate(rows, start=1):
                    cells = []
                    for c, value in enumerate(row):
                        if value is None or value == "":
                            continue
                        ref = f"{_column_letter(c)}{r}"
                        if isinstance(value, str):
                            index = strings.setdefault(value, len(strings))
                            cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
                        else:
                            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                    chunk.append(f'<row r="{r}">{"".join(cells)}</row>')
                    if len(chunk) >= 2000:
                        out.write("".join(chunk).encode())
                        chunk.clear()
                out.write("".join(chunk).encode())
                out.write(b"</sheetData></worksheet>")
        sheet_entries = "".join(
            f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
            for n, name in enumerate(sheets, start=1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {_NS} {_REL_NS}>'
            f"<sheets>{sheet_entries}</sheets></workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        shared_id = len(sheets) + 1
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rId{shared_id}" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        if shared_strings_xml is None:
            items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
            shared_strings_xml = (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst {_NS} count="{len(strings)}" '
                f'uniqueCount="{len(strings)}">{items}</sst>'
            )
        archive.writestr("xl/sharedStrings.xml", shared_strings_xml)
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=overrides))
        archive.writestr("_rels/.rels", _ROOT_RELS)
    return path
