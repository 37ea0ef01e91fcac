"""Cell values as typed by township staff → clean Python values.

Each ``parse_*`` returns the clean value (``None`` or ``""`` for a blank cell) or raises
:class:`CellProblem` with a plain-Chinese message for the row-error list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from voters.ethnicities import official_name

# Full-width ASCII (U+FF01…U+FF5E) → ASCII; ideographic and no-break spaces → space.
_HALFWIDTH = str.maketrans(
    {**{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}, 0x3000: 0x20, 0xA0: 0x20, 0xFEFF: None}
)

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (after Excel's fictitious 1900-02-29: +1)
_SERIAL_MIN, _SERIAL_MAX = 1, 73050  # 1900-01-01 … 2099-12-31


class CellProblem(ValueError):
    """A cell value that cannot be used; ``str()`` is the message shown to the clerk."""


@dataclass(frozen=True, slots=True)
class YearMonth:
    """A birth date given only to the month (出生年月: ``1980.05``, ``198005``) or the year (``1980``)."""

    year: int
    months: tuple[int, ...]  # ``1980.1`` from a numeric cell may have been 1980.10

    def matches(self, day: date) -> bool:
        return day.year == self.year and day.month in self.months

    def __str__(self) -> str:
        if len(self.months) == 12:
            return f"{self.year} 年"
        return "或".join(f"{self.year} 年 {month} 月" for month in self.months)


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters, punctuation and spaces → ASCII."""
    return text if text.isascii() else text.translate(_HALFWIDTH)


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def clean_text(value: object) -> str:
    """Any cell → stripped single-spaced text; numbers without ``.0``, dates as ``YYYY-MM-DD``."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = to_halfwidth(value)
        return " ".join(text.split()) if " " in text or not text.isprintable() else text.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_CJK = re.compile(r"[\u3400-\u9fff]")
_DIGIT = re.compile(r"\d")
_NAME_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", "‧": "·", "∙": "·"})


def parse_name(value: object) -> str:
    """A person's name; spaces used to pad two-character names (``王　芳``) are removed."""
    text = clean_text(value)
    if " " in text and _CJK.search(text):
        text = text.replace(" ", "")
    text = text.translate(_NAME_DOTS)
    if not text:
        return ""
    if _DIGIT.search(text):
        raise CellProblem(f"姓名“{text}”中含有数字")
    if not 2 <= len(text) <= 30:
        raise CellProblem(f"姓名“{text}”应为 2–30 个字")
    symbols = "".join(dict.fromkeys(c for c in text if not c.isalpha() and c not in "· "))
    if symbols:
        raise CellProblem(f"姓名“{text}”中含有不应出现的符号“{symbols}”")
    return text


_GENDERS = {
    "男": "male",
    "男性": "male",
    "m": "male",
    "male": "male",
    "1": "male",
    "女": "female",
    "女性": "female",
    "f": "female",
    "female": "female",
    "2": "female",
}
GENDER_LABELS = {"male": "男", "female": "女"}


def parse_gender(value: object) -> str:
    """``男 / 女 / 男性 / 女性 / M / F / 1 / 2`` (GB/T 2261.1) → ``male`` / ``female``; blank → ``""``."""
    text = clean_text(value)
    if not text:
        return ""
    try:
        return _GENDERS[text.replace(" ", "").lower()]
    except KeyError:
        raise CellProblem(f"“{text}”无法识别，请填写“男”或“女”") from None


def parse_ethnicity(value: object) -> str:
    """One of the 56 official names (``汉`` → ``汉族``); blank → ``""``."""
    text = clean_text(value)
    if not text:
        return ""
    name = official_name(text)
    if name is None:
        raise CellProblem(f"“{text}”不是 56 个民族之一，请填写如“汉族”“藏族”“回族”")
    return name


CATEGORY_LABELS = {
    "resident": "户籍且居住",
    "absent_opted_in": "户籍外出参加",
    "non_resident_approved": "寄居满一年经同意",
}
_CATEGORIES = {
    "户籍且居住": "resident",
    "户籍在本村且居住": "resident",
    "户籍": "resident",
    "本村户籍": "resident",
    "户籍外出参加": "absent_opted_in",
    "户籍外出": "absent_opted_in",
    "外出": "absent_opted_in",
    "外出参加": "absent_opted_in",
    "寄居满一年经同意": "non_resident_approved",
    "寄居": "non_resident_approved",
    "非户籍": "non_resident_approved",
    "resident": "resident",
    "absent_opted_in": "absent_opted_in",
    "non_resident_approved": "non_resident_approved",
}


def parse_category(value: object) -> str:
    """Registration category (登记类别) → ``resident`` / ``absent_opted_in`` / ``non_resident_approved``."""
    text = clean_text(value)
    if not text:
        return ""
    key = "".join(text.split())
    found = _CATEGORIES.get(key)
    if found is None:
        if "寄居" in key or "非户籍" in key:
            found = "non_resident_approved"
        elif "外出" in key:
            found = "absent_opted_in"
        elif "户籍" in key:
            found = "resident"
        else:
            raise CellProblem(f"“{text}”无法识别，请填写“户籍且居住”“户籍外出参加”或“寄居满一年经同意”")
    return found


_PHONE_SEPARATORS = str.maketrans("", "", " -()（）—/")


def parse_phone(value: object) -> str:
    """Digits only (a leading ``+`` kept), 7–20 of them; blank → ``""``."""
    if value.__class__ is str and value.isascii() and value.isdigit() and 7 <= len(value) <= 20:
        return value  # the usual case, quickly
    text = clean_text(value)
    if not text:
        return ""
    phone = text.translate(_PHONE_SEPARATORS)
    digits = phone[1:] if phone.startswith("+") else phone
    if not digits.isdigit() or not 7 <= len(digits) <= 20:
        raise CellProblem(f"“{text}”不是有效的电话号码（应为 7–20 位数字）")
    return phone


_FULL_DATE = re.compile(
    r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_MONTH_ONLY = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?$")
_YEAR_ONLY = re.compile(r"^(\d{4})\s*年$")
DATE_FORMATS_HELP = "1980-05-03、1980.5.3、1980/5/3、19800503 或 1980年5月3日"


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellProblem(f"“{text}”不是真实存在的日期") from None


def _from_serial(serial: float, text: str) -> date:
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        raise CellProblem(f"“{text}”无法识别为日期，请写成 {DATE_FORMATS_HELP}")
    whole = int(serial)
    if whole < 61:  # Excel counts a 1900-02-29 that never was
        whole += 1
    return EXCEL_EPOCH + timedelta(days=whole)


_ALL_MONTHS = tuple(range(1, 13))


def _year_month(year: int, months: tuple[int, ...], text: str) -> YearMonth:
    valid = tuple(m for m in months if 1 <= m <= 12)
    if not valid:
        raise CellProblem(f"“{text}”中的月份不存在")
    return YearMonth(year, valid)


def parse_date(value: object) -> date | YearMonth | None:
    """A date cell, an Excel serial number or text in any of the usual forms; blank → ``None``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        text = _number_text(number)
        if number.is_integer() and len(text) == 8:  # 19800503 typed as a number
            return _make_date(int(text[:4]), int(text[4:6]), int(text[6:]), text)
        if 1900 <= number < 2100 and number.is_integer():  # a year alone
            return YearMonth(int(number), _ALL_MONTHS)
        if 1900 <= number < 2100:  # 1980.05 typed as a number
            fraction = text.split(".")[1]
            months = (int(fraction), int(fraction) * 10) if len(fraction) == 1 else (int(fraction),)
            return _year_month(int(number), months, text)
        return _from_serial(number, text)
    text = clean_text(value)
    if not text:
        return None
    if text.isdigit():
        if len(text) == 8:
            return _make_date(int(text[:4]), int(text[4:6]), int(text[6:]), text)
        if len(text) == 6:
            return _year_month(int(text[:4]), (int(text[4:]),), text)
        if len(text) == 4 and 1900 <= int(text) < 2100:
            return YearMonth(int(text), _ALL_MONTHS)
        if len(text) <= 5:
            return _from_serial(int(text), text)
    match = _FULL_DATE.match(text)
    if match:
        return _make_date(int(match[1]), int(match[2]), int(match[3]), text)
    match = _MONTH_ONLY.match(text)
    if match:
        return _year_month(int(match[1]), (int(match[2]),), text)
    match = _YEAR_ONLY.match(text)
    if match:
        return YearMonth(int(match[1]), _ALL_MONTHS)
    raise CellProblem(f"“{text}”无法识别为日期，请写成 {DATE_FORMATS_HELP}")
