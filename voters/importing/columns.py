"""Column headers as township staff write them → the canonical voter fields."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .normalize import to_halfwidth


class Field(StrEnum):
    """A voter attribute the roll can carry (glossary names)."""

    NAME = "name"
    GENDER = "gender"
    ETHNICITY = "ethnicity"
    ID_NUMBER = "id_number"
    BIRTH_DATE = "birth_date"
    GROUP = "group"
    ADDRESS = "address"
    PHONE = "phone"
    CATEGORY = "category"
    APPROVAL_REFERENCE = "approval_reference"
    NOTES = "notes"


# The header each field has in our template, used when the file has no such column.
FIELD_LABELS: dict[Field, str] = {
    Field.NAME: "姓名",
    Field.GENDER: "性别",
    Field.ETHNICITY: "民族",
    Field.ID_NUMBER: "公民身份号码",
    Field.BIRTH_DATE: "出生日期",
    Field.GROUP: "村民小组",
    Field.ADDRESS: "家庭住址",
    Field.PHONE: "联系电话",
    Field.CATEGORY: "登记类别",
    Field.APPROVAL_REFERENCE: "批准文号",
    Field.NOTES: "备注",
}

REQUIRED_FIELDS: tuple[Field, ...] = (Field.NAME, Field.ID_NUMBER)

_SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.NAME: ("姓名", "选民姓名", "名字"),
    Field.GENDER: ("性别",),
    Field.ETHNICITY: ("民族",),
    Field.ID_NUMBER: (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "身份证",
        "公民身份证号",
        "公民身份证号码",
        "居民身份证号",
        "居民身份证号码",
        "身份证件号码",
        "证件号码",
        "身分证号",  # a common slip for 身份证号
        "身分证号码",
    ),
    Field.BIRTH_DATE: ("出生日期", "出生年月", "出生年月日", "生日"),
    Field.GROUP: ("村民小组", "居民小组", "组别", "小组", "所属小组", "所在小组", "组"),
    Field.ADDRESS: ("住址", "家庭住址", "地址", "现住址", "居住地址", "家庭地址", "户籍地址"),
    Field.PHONE: ("联系电话", "电话", "手机", "手机号", "手机号码", "电话号码", "联系方式"),
    Field.CATEGORY: ("登记类别", "类别", "参选类别", "选民类别", "登记类型"),
    Field.APPROVAL_REFERENCE: ("批准文号", "同意文号", "批准文件", "同意文件"),
    Field.NOTES: ("备注",),
}
_BY_HEADER: dict[str, Field] = {name: f for f, names in _SYNONYMS.items() for name in names}

_BRACKETED = re.compile(r"[(\[【<《][^)\]】>》]*[)\]】>》]")
_MARKS = "*＊※★:："


def normalize_header(text: object) -> str:
    """``' 公民身份号码（必填）＊'`` → ``'公民身份号码'``: no spaces, brackets or required-marks."""
    if text is None:
        return ""
    cleaned = "".join(to_halfwidth(str(text)).split())
    cleaned = _BRACKETED.sub("", cleaned)
    return cleaned.strip(_MARKS)


def field_for_header(text: object) -> Field | None:
    """The field a header names, or None."""
    return _BY_HEADER.get(normalize_header(text))


@dataclass(slots=True)
class ColumnMap:
    """Which column (0-based) holds which field, and the header text the user wrote for it."""

    columns: dict[Field, int] = field(default_factory=dict)
    labels: dict[Field, str] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)  # every non-blank header, in order

    @property
    def missing_required(self) -> list[Field]:
        return [f for f in REQUIRED_FIELDS if f not in self.columns]

    def label(self, f: Field) -> str:
        """The user's header for a field, or our template's when the file lacks the column."""
        return self.labels.get(f, FIELD_LABELS[f])


def map_columns(header_cells: Sequence[object]) -> ColumnMap:
    """Map one (possibly combined) header row; the first column wins when two name the same field."""
    mapping = ColumnMap()
    for index, cell in enumerate(header_cells):
        text = " ".join(str(cell).split()) if cell not in (None, "") else ""
        if not text:
            continue
        mapping.headers.append(text)
        found = field_for_header(text)
        if found is not None and found not in mapping.columns:
            mapping.columns[found] = index
            mapping.labels[found] = text
    return mapping


def combine_header_rows(upper: Sequence[object], lower: Sequence[object]) -> list[object]:
    """Two header rows → one: the lower cell where it has text, else the (merged) upper one."""
    width = max(len(upper), len(lower))
    combined: list[object] = []
    for index in range(width):
        low = lower[index] if index < len(lower) else ""
        up = upper[index] if index < len(upper) else ""
        combined.append(low if str(low).strip() else up)
    return combined
