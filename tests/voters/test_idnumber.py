"""Identity card numbers: normalising, the GB 11643 checksum, what a number embeds, Excel damage."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voters.idnumber import (
    EXCEL_NUMBER_MESSAGE,
    IdProblem,
    IdProblemCode,
    InvalidIdNumber,
    ParsedId,
    add_years,
    age_on,
    check_char,
    has_valid_checksum,
    mask_id,
    normalize_id,
    parse_id,
    parse_id_or_raise,
    parse_ids,
)

from .files import REGIONS, make_id

TODAY = date(2026, 1, 1)


def problem_code(raw, **kwargs) -> IdProblemCode:
    result = parse_id(raw, today=TODAY, **kwargs)
    assert isinstance(result, IdProblem), result
    return result.code


def test_check_char_matches_the_weighted_sum_definition():
    body = "63012119800503123"
    weights = [pow(2, 17 - i, 11) for i in range(17)]
    total = sum(w * int(d) for w, d in zip(weights, body, strict=True))
    assert check_char(body) == "10X98765432"[total % 11]


def test_a_valid_number_gives_birth_date_and_gender():
    man = parse_id(make_id(date(1980, 5, 3), 123), today=TODAY)
    woman = parse_id(make_id(date(1999, 12, 31), 124), today=TODAY)
    assert man == ParsedId(make_id(date(1980, 5, 3), 123), date(1980, 5, 3), "male")
    assert man.region_code == "630121"
    assert (woman.birth_date, woman.gender) == (date(1999, 12, 31), "female")


def test_normalize_full_width_spaces_and_lowercase_x():
    number = next(
        make_id(date(1980, 5, 3), s) for s in range(1, 999) if make_id(date(1980, 5, 3), s).endswith("X")
    )
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number[:-1]) + "ｘ"
    assert normalize_id(f"\u3000{full_width[:6]} {full_width[6:]}\t") == number
    assert normalize_id(number.lower()) == number
    assert normalize_id("'" + number) == number  # a leading apostrophe typed to force text
    assert normalize_id(None) == ""
    assert isinstance(parse_id(number.lower(), today=TODAY), ParsedId)
    assert parse_id(full_width, today=TODAY).number == number


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", IdProblemCode.EMPTY),
        ("   ", IdProblemCode.EMPTY),
        ("63012119800503123", IdProblemCode.WRONG_LENGTH),
        ("6301211980050312345", IdProblemCode.WRONG_LENGTH),
        ("630121800503123", IdProblemCode.OLD_FORMAT),
        ("63012119800503123A", IdProblemCode.NOT_DIGITS),
        ("6301211980O503123X", IdProblemCode.NOT_DIGITS),
    ],
)
def test_shape_problems(raw, code):
    assert problem_code(raw) == code


def test_bad_checksum():
    number = make_id()
    wrong_last = "0" if number[-1] != "0" else "1"
    assert problem_code(number[:-1] + wrong_last) == IdProblemCode.BAD_CHECKSUM
    assert "校验位错误" in parse_id(number[:-1] + wrong_last).message
    lost = next(f"630121198005{n:03d}000" for n in range(999) if check_char(f"630121198005{n:03d}00") != "0")
    assert parse_id(lost).message.endswith("可能是 Excel 把号码存成数字后丢失了末尾几位")


def test_impossible_and_out_of_range_birth_dates():
    impossible = "63012119800231123"
    assert problem_code(impossible + check_char(impossible)) == IdProblemCode.IMPOSSIBLE_BIRTH_DATE
    future = make_id(date(2030, 1, 1))
    ancient = make_id(date(1899, 12, 31))
    assert problem_code(future) == IdProblemCode.BIRTH_DATE_OUT_OF_RANGE
    assert problem_code(ancient) == IdProblemCode.BIRTH_DATE_OUT_OF_RANGE


@pytest.mark.parametrize(
    "raw",
    [
        6.30121198005031e17,  # what a numeric cell holds
        630121198005031000,  # the same, as an int
        630121198005031040.0,
        1.5,
        "6.30121198005031E+17",  # a numeric cell saved as CSV
        "6.30121198005031e+17",
    ],
)
def test_numbers_mangled_by_excel_are_never_guessed(raw):
    result = parse_id(raw, today=TODAY)
    assert result == IdProblem(IdProblemCode.EXCEL_NUMBER, EXCEL_NUMBER_MESSAGE)
    assert "设置为“文本”格式" in result.message


def test_text_known_to_come_from_a_numeric_cell():
    assert problem_code("630121198005031000", from_numeric_cell=True) == IdProblemCode.EXCEL_NUMBER
    assert problem_code(630121800503123) == IdProblemCode.OLD_FORMAT  # 15 digits survive as a number
    assert problem_code(12345) == IdProblemCode.WRONG_LENGTH


def test_region_codes_newer_than_the_birth_date_are_accepted():
    # 632803 (茫崖市) was created in 2018; people born there in 1960 carry it on re-issued cards.
    assert isinstance(parse_id(make_id(date(1960, 1, 1), 11, "632803"), today=TODAY), ParsedId)


def test_parse_id_or_raise():
    assert parse_id_or_raise(make_id(), today=TODAY).gender == "male"
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_or_raise("123")
    assert caught.value.problem.code == IdProblemCode.WRONG_LENGTH


def test_mask_id():
    assert mask_id("63012119800503123X") == "630121********123X"
    assert mask_id("123") == "***"


def test_age_on_and_eighteenth_birthday():
    born = date(2008, 6, 15)
    assert age_on(born, date(2026, 6, 14)) == 17
    assert age_on(born, date(2026, 6, 15)) == 18
    leap = date(2008, 2, 29)
    assert add_years(leap, 18) == date(2026, 3, 1)
    assert age_on(leap, date(2026, 2, 28)) == 17
    assert age_on(leap, date(2026, 3, 1)) == 18
    assert add_years(date(2000, 2, 29), 4) == date(2004, 2, 29)


bodies = st.builds(
    lambda region, born, sequence: f"{region}{born:%Y%m%d}{sequence:03d}",
    st.sampled_from(REGIONS),
    st.dates(date(1900, 1, 1), date(2025, 12, 31)),
    st.integers(0, 999),
)


@given(bodies)
def test_body_plus_computed_check_char_is_valid(body):
    number = body + check_char(body)
    assert has_valid_checksum(number)
    parsed = parse_id(number, today=TODAY)
    assert isinstance(parsed, ParsedId)
    assert parsed.birth_date == date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    assert parsed.gender == ("male" if int(body[16]) % 2 else "female")


@given(bodies, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_caught(body, position, replacement):
    number = body + check_char(body)
    if position < 17 and replacement == "X":
        replacement = "0"
    if number[position] == replacement:
        replacement = "1" if replacement != "1" else "2"
    changed = number[:position] + replacement + number[position + 1 :]
    assert not has_valid_checksum(changed)
    result = parse_id(changed, today=TODAY)
    assert isinstance(result, IdProblem)


@given(
    st.lists(
        st.one_of(bodies.map(lambda b: b + check_char(b)), st.text(max_size=20), st.floats(), st.integers())
    )
)
def test_parse_ids_agrees_with_parse_id(values):
    assert parse_ids(values, today=TODAY) == [parse_id(v, today=TODAY) for v in values]


@given(bodies)
def test_parse_ids_agrees_on_lowercase_and_mutations(body):
    number = body + check_char(body)
    values = [number, number.lower(), number[:-1] + "x", number[:-1] + "A", " " + number, number[:17]]
    assert parse_ids(values, today=TODAY) == [parse_id(v, today=TODAY) for v in values]
