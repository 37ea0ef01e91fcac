"""Figure arithmetic of the statistics, the way published reports do it — no Django here.

* Shares are percentages rounded half-up to one decimal (125 of 225 → 55.6).
* Averages (ages) are rounded half-up to one decimal (38.666… → 38.7).
* A change against the previous cycle is the difference of the two *published* (rounded) figures, so
  that it agrees with what a reader computes from the two reports: 55.6 % against 49.8 % is "up 5.8
  points", an average age of 38.7 against 40.9 is "down 2.2".
* Ages are whole years completed on the election day.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")

# Age bands of the reports: 35 and under, 36–45, 46–55, 56 and over.
AGE_BANDS = (("age_35_under", 0, 35), ("age_36_45", 36, 45), ("age_46_55", 46, 55), ("age_56_over", 56, 200))


def round1(value: Decimal | float | int | None) -> float | None:
    """Half-up to one decimal (Python's ``round`` rounds half to even and on binary floats)."""
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))


def share(part: int | None, whole: int | None) -> float | None:
    """``part`` as a percentage of ``whole``, one decimal; ``None`` when there is no whole."""
    if part is None or not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))


def average(total: int | float | None, count: int | None) -> float | None:
    """``total / count`` to one decimal; ``None`` for no items."""
    if total is None or not count:
        return None
    return float((Decimal(str(total)) / Decimal(count)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))


def change(current: float | None, previous: float | None) -> float | None:
    """Difference of two published figures (points for shares, years for averages), one decimal."""
    if current is None or previous is None:
        return None
    return float(
        (Decimal(str(current)) - Decimal(str(previous))).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    )


def age_on(birth_date: date, day: date) -> int:
    """Whole years completed on ``day`` (a birthday on the day counts)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def age_band(age: int) -> str:
    for key, low, high in AGE_BANDS:
        if low <= age <= high:
            return key
    return AGE_BANDS[-1][0]


def describe_change(value: float | None, *, unit: str = "") -> str:
    """ "up 5.8" / "down 2.2" / "unchanged" in words a report uses (English; the template translates)."""
    if value is None:
        return ""
    if value > 0:
        return f"+{value:.1f}{unit}"
    if value < 0:
        return f"−{abs(value):.1f}{unit}"
    return f"±0.0{unit}"
