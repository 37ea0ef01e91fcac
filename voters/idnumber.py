"""Resident identity card numbers (公民身份号码, GB 11643): normalise, check, read birth date and gender.

Pure Python, no Django. python-stdnum's ``cn.ric.is_valid`` is deliberately not used: it rejects real
numbers whose region code was created after the holder's birth (re-zoned counties), which are valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

ID_LENGTH = 18
OLD_ID_LENGTH = 15
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

# ISO 7064 MOD 11-2: the weight of digit i (0-based, left to right) is 2**(17 - i) mod 11, so the
# weighted sum is 2·P(2) for the polynomial P whose coefficients are the digits. Since 13 ≡ 2 (mod 11),
# P(2) ≡ P(13) = int(body, 13): one C call instead of a Python loop over 17 digits.
_CHECK_CHARS = "10X98765432"  # index: weighted sum mod 11

# Full-width ASCII (U+FF01…U+FF5E) → ASCII; every kind of space → removed.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_REMOVED = dict.fromkeys(map(ord, " \t\r\n\v\f\u3000\u00a0\u2002\u2003\u2009\u200b\u202f\ufeff'’‘\"“”"))
_ID_TABLE = str.maketrans({**_FULLWIDTH, **_REMOVED})
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$")

EXCEL_NUMBER_MESSAGE = (
    "身份证号被 Excel 存成了数字，末尾几位已经丢失，无法恢复。"
    "请把这一列设置为“文本”格式后重新录入这些身份证号。"
)


class IdProblemCode(StrEnum):
    """Why a value is not a usable 18-character identity card number."""

    EMPTY = "empty"
    EXCEL_NUMBER = "excel_number"
    OLD_FORMAT = "old_format"
    WRONG_LENGTH = "wrong_length"
    NOT_DIGITS = "not_digits"
    BAD_CHECKSUM = "bad_checksum"
    IMPOSSIBLE_BIRTH_DATE = "impossible_birth_date"
    BIRTH_DATE_OUT_OF_RANGE = "birth_date_out_of_range"


@dataclass(frozen=True, slots=True)
class IdProblem:
    """A value that is not a valid identity card number, with a plain-Chinese explanation."""

    code: IdProblemCode
    message: str


@dataclass(slots=True)
class ParsedId:
    """A valid identity card number and what it embeds."""

    number: str
    birth_date: date
    gender: str  # "male" (17th digit odd) or "female"

    @property
    def region_code(self) -> str:
        return self.number[:6]


class InvalidIdNumber(ValueError):
    """Raised by :func:`parse_id_or_raise`; carries the :class:`IdProblem`."""

    def __init__(self, problem: IdProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def normalize_id(raw: object) -> str:
    """Full-width → ASCII, drop every space (incl. U+3000) and quote marks, lowercase x → X."""
    if raw is None:
        return ""
    text = raw if isinstance(raw, str) else str(raw)
    return text.translate(_ID_TABLE).upper()


def check_char(body: str) -> str:
    """The GB 11643 check character (0–9 or X) for a 17-digit body."""
    if len(body) != 17 or not (body.isascii() and body.isdigit()):
        raise ValueError("the body of an ID number is 17 ASCII digits")
    return _CHECK_CHARS[2 * int(body, 13) % 11]


def has_valid_checksum(number: str) -> bool:
    """True when an 18-character number's last character is the right check character."""
    body = number[:17]
    return (
        len(number) == ID_LENGTH
        and body.isascii()
        and body.isdigit()
        and _CHECK_CHARS[2 * int(body, 13) % 11] == number[17]
    )


def _excel_number_problem() -> IdProblem:
    return IdProblem(IdProblemCode.EXCEL_NUMBER, EXCEL_NUMBER_MESSAGE)


def _numeric_cell_problem(value: int | float) -> IdProblem | str:
    """A number read from a numeric cell: a lost 18-digit number, or the digits to check as text."""
    if isinstance(value, float):
        if not value.is_integer():
            return _excel_number_problem()
        value = int(value)
    digits = str(abs(value))
    if len(digits) > OLD_ID_LENGTH:  # a double keeps 15 significant digits: the rest is gone
        return _excel_number_problem()
    return digits


def parse_id(
    raw: object, *, from_numeric_cell: bool = False, today: date | None = None
) -> ParsedId | IdProblem:
    """Check an identity card number; answers what it embeds, or the one most useful problem.

    ``raw`` may be the cell value as read (an int or float means a numeric cell), or text with
    ``from_numeric_cell=True`` when the reader knows the cell held a number. Digits lost to Excel's
    15-significant-digit numbers are never guessed.
    """
    if (
        not from_numeric_cell
        and raw.__class__ is str
        and len(raw) == ID_LENGTH
        and raw.isascii()
        and raw.isalnum()
    ):
        return _parse_text(raw if raw[17] != "x" else raw.upper(), today or date.today())
    if isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, int | float):
        checked = _numeric_cell_problem(raw)
        if isinstance(checked, IdProblem):
            return checked
        number = checked
    else:
        number = normalize_id(raw)
        if from_numeric_cell and len(number) > OLD_ID_LENGTH:
            return _excel_number_problem()
        if _SCIENTIFIC.match(number):
            return _excel_number_problem()
    return _parse_text(number, today or date.today())


def _parse_text(number: str, today: date) -> ParsedId | IdProblem:
    length = len(number)
    if length == 0:
        return IdProblem(IdProblemCode.EMPTY, "未填写")
    if length != ID_LENGTH:
        if length == OLD_ID_LENGTH and number.isdigit():
            return IdProblem(
                IdProblemCode.OLD_FORMAT, "这是 15 位的第一代身份证号，已停止使用，请填写 18 位公民身份号码"
            )
        return IdProblem(IdProblemCode.WRONG_LENGTH, f"应为 18 位，实际为 {length} 位")
    body, last = number[:17], number[17]
    if not (body.isascii() and body.isdigit()) or last not in _CHECK_CHARS:
        return IdProblem(IdProblemCode.NOT_DIGITS, "只能是 17 位数字加最后一位数字或 X，其中有其他字符")
    if _CHECK_CHARS[2 * int(body, 13) % 11] != last:
        hint = "；末尾是 000，可能是 Excel 把号码存成数字后丢失了末尾几位" if number.endswith("000") else ""
        return IdProblem(IdProblemCode.BAD_CHECKSUM, f"校验位错误，号码中有数字填错了，请与身份证核对{hint}")
    born = birth_date_of(number[6:14])
    if born is None:
        return IdProblem(
            IdProblemCode.IMPOSSIBLE_BIRTH_DATE, f"第 7–14 位的出生日期 {number[6:14]} 不是真实存在的日期"
        )
    if born < EARLIEST_BIRTH_DATE or born > today:
        return IdProblem(
            IdProblemCode.BIRTH_DATE_OUT_OF_RANGE,
            f"第 7–14 位的出生日期 {born.isoformat()} 不可能（早于 1900 年或晚于今天）",
        )
    return ParsedId(number, born, "male" if number[16] in "13579" else "female")


_BIRTH_DATES: dict[str, date | None] = {}  # YYYYMMDD → date; at most ~73,000 real days plus junk


def birth_date_of(digits: str) -> date | None:
    """The date for eight digits ``YYYYMMDD``, or None when no such day exists (memoised: rolls repeat dates)."""
    try:
        return _BIRTH_DATES[digits]
    except KeyError:
        pass
    try:
        born: date | None = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        born = None
    if len(_BIRTH_DATES) < 200_000:
        _BIRTH_DATES[digits] = born
    return born


def parse_ids(values: Iterable[object], *, today: date | None = None) -> list[ParsedId | IdProblem]:
    """:func:`parse_id` for a whole column, several times faster for well-formed numbers.

    Shortcut: with the check character's value as the 18th digit (X = 10, written ``A`` in base
    13), a valid number read in base 13 is ≡ 1 (mod 11).
    """
    today = today or date.today()
    parsed: list[ParsedId | IdProblem] = []
    append = parsed.append
    births = _BIRTH_DATES
    earliest = EARLIEST_BIRTH_DATE
    for raw in values:
        if raw.__class__ is str and len(raw) == ID_LENGTH and raw.isascii():
            if raw.isdigit():
                number = raw if int(raw, 13) % 11 == 1 else ""
            else:
                body = raw[:17]
                valid = raw[17] in "Xx" and body.isdigit() and int(body + "A", 13) % 11 == 1
                number = body + "X" if valid else ""
            if number:
                digits = number[6:14]
                born = births.get(digits) or birth_date_of(digits)
                if born is not None and earliest <= born <= today:
                    append(ParsedId(number, born, "male" if number[16] in "13579" else "female"))
                    continue
        append(parse_id(raw, today=today))
    return parsed


def parse_id_or_raise(raw: object, *, from_numeric_cell: bool = False, today: date | None = None) -> ParsedId:
    """Like :func:`parse_id`, raising :class:`InvalidIdNumber` instead of returning a problem."""
    result = parse_id(raw, from_numeric_cell=from_numeric_cell, today=today)
    if isinstance(result, IdProblem):
        raise InvalidIdNumber(result)
    return result


def mask_id(number: str) -> str:
    """Show only the region code and the last four characters: ``630121********123X``."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def add_years(born: date, years: int) -> date:
    """The anniversary ``years`` after ``born``; a 29 February birthday falls on 1 March in other years."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


def age_on(born: date, day: date) -> int:
    """Age in completed years (周岁) on ``day``; a birthday counts from the day itself."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
