"""Row rules of an imported roll, the normalisers behind them, and the downloadable error workbook."""

import zipfile
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voters.importing.columns import Field, map_columns
from voters.importing.error_workbook import build_error_workbook, cell_text
from voters.importing.normalize import (
    CellProblem,
    YearMonth,
    clean_text,
    parse_category,
    parse_date,
    parse_ethnicity,
    parse_gender,
    parse_name,
    parse_phone,
)
from voters.importing.reader import DataSheet, read_roll
from voters.importing.validate import RowError, _SheetValidator, validate_roll, validate_rows

from .files import HEADER, make_id, voter_row, write_xlsx

ELECTION_DAY = date(2026, 6, 15)
TODAY = date(2026, 1, 1)
COLUMNS = map_columns(HEADER)


def validate(*rows, columns=COLUMNS, groups=None):
    numbered = list(enumerate(rows, start=2))
    return validate_rows(numbered, columns, election_day=ELECTION_DAY, groups=groups, today=TODAY)


def errors_of(*rows, **kwargs):
    return validate(*rows, **kwargs).error_lines()


# --- normalisers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1980.5.3", date(1980, 5, 3)),
        ("1980-05-03", date(1980, 5, 3)),
        ("1980/5/3", date(1980, 5, 3)),
        ("19800503", date(1980, 5, 3)),
        ("1980年5月3日", date(1980, 5, 3)),
        ("１９８０．５．３", date(1980, 5, 3)),
        ("1980-05-03 00:00:00", date(1980, 5, 3)),
        (29344, date(1980, 5, 3)),
        (29344.0, date(1980, 5, 3)),
        ("29344", date(1980, 5, 3)),
        (19800503, date(1980, 5, 3)),
        (date(1980, 5, 3), date(1980, 5, 3)),
        (datetime(1980, 5, 3, 0, 0), date(1980, 5, 3)),
        ("1980.05", YearMonth(1980, (5,))),
        ("198005", YearMonth(1980, (5,))),
        ("1980年5月", YearMonth(1980, (5,))),
        (1980.1, YearMonth(1980, (1, 10))),
        ("1980", YearMonth(1980, tuple(range(1, 13)))),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["1980.2.30", "明年", "80.5.3", "1980.13", 999999])
def test_parse_date_problems(raw):
    with pytest.raises(CellProblem):
        parse_date(raw)


def test_gender_category_ethnicity_phone_name():
    assert [parse_gender(v) for v in ("男", "女性", " M ", "f", "", 1, "2")] == [
        "male",
        "female",
        "male",
        "female",
        "",
        "male",
        "female",
    ]
    with pytest.raises(CellProblem, match="男"):
        parse_gender("未知")
    assert parse_category("户籍且居住") == "resident"
    assert parse_category("本村户籍") == "resident"
    assert parse_category("户籍外出参加") == "absent_opted_in"
    assert parse_category("外出") == "absent_opted_in"
    assert parse_category("寄居满一年经同意") == "non_resident_approved"
    assert parse_category("非户籍") == "non_resident_approved"
    assert parse_category(" 户籍 外出 ") == "absent_opted_in"
    with pytest.raises(CellProblem):
        parse_category("其他")
    assert [parse_ethnicity(v) for v in ("汉", "汉族", "维族", "蒙古", "01", " 藏 族 ", "")] == [
        "汉族",
        "汉族",
        "维吾尔族",
        "蒙古族",
        "汉族",
        "藏族",
        "",
    ]
    with pytest.raises(CellProblem, match="56 个民族"):
        parse_ethnicity("穿青人")
    assert parse_phone("138-0000-0000") == "13800000000"
    assert parse_phone(13800000000.0) == "13800000000"
    assert parse_phone("（0971）1234567") == "09711234567"
    with pytest.raises(CellProblem):
        parse_phone("12345")
    assert parse_name("王　芳") == "王芳"
    assert parse_name(" 阿卜杜拉•买买提 ") == "阿卜杜拉·买买提"
    assert parse_name("John  Smith") == "John Smith"
    with pytest.raises(CellProblem, match="数字"):
        parse_name("张3")
    with pytest.raises(CellProblem, match="2–30"):
        parse_name("张")
    assert clean_text("　ＡＢＣ　１２３ ") == "ABC 123"
    assert clean_text(12.0) == "12"


# --- row rules ----------------------------------------------------------------------------------


def test_a_clean_row_is_normalised():
    row = voter_row("王　芳", born=date(1990, 7, 1), sequence=44, ethnicity="藏", birth_text="1990.7.1")
    result = validate(row)
    assert result.errors == []
    (voter,) = result.valid
    assert (voter.row_number, voter.name, voter.gender, voter.ethnicity) == (2, "王芳", "female", "藏族")
    assert (voter.birth_date, voter.category, voter.group) == (date(1990, 7, 1), "resident", "一组")
    assert result.id_numbers() == [make_id(date(1990, 7, 1), 44)]


def test_every_problem_of_a_row_is_reported():
    row = voter_row("张3", gender="女", ethnicity="火星族", birth_text="1981-05-03", category="")
    row[7] = "12345"
    assert errors_of(row) == [
        "第 2 行 姓名：姓名“张3”中含有数字",
        "第 2 行 性别：填的是“女”，身份证号显示为“男”，请核对性别或身份证号",
        "第 2 行 出生日期：“1981-05-03”与身份证号中的出生日期 1980-05-03 不一致，请核对出生日期或身份证号",
        "第 2 行 民族：“火星族”不是 56 个民族之一，请填写如“汉族”“藏族”“回族”",
        "第 2 行 联系电话：“12345”不是有效的电话号码（应为 7–20 位数字）",
        "第 2 行 登记类别：未填写，请填写“户籍且居住”“户籍外出参加”或“寄居满一年经同意”",
    ]
    result = validate(row)
    assert (result.rows_read, len(result.valid), result.error_rows) == (1, 0, 1)


def test_birth_date_given_as_serial_is_shown_as_typed_and_as_a_date():
    row = voter_row(birth_text=29345)
    assert errors_of(row) == [
        "第 2 行 出生日期：“29345”（即 1980-05-04）与身份证号中的出生日期 1980-05-03 不一致，请核对出生日期或身份证号"
    ]


def test_missing_name_and_bad_id():
    row = voter_row("", id_number="63012119800503123")
    assert errors_of(row) == ["第 2 行 姓名：未填写", "第 2 行 公民身份号码：应为 18 位，实际为 17 位"]


def test_age_on_election_day():
    turns_18_on_the_day = voter_row(born=date(2008, 6, 15))
    turns_18_next_day = voter_row("李四", born=date(2008, 6, 16), sequence=125)
    assert errors_of(turns_18_on_the_day) == []
    assert errors_of(turns_18_next_day) == [
        "第 2 行 公民身份号码：选举日（2026-06-15）时未满 18 周岁（当天 17 岁，2026-06-16 满 18 周岁）"
    ]


def test_a_29_february_election_day():
    from voters.importing.validate import latest_adult_birth_date

    assert latest_adult_birth_date(date(2028, 2, 29)) == date(2010, 2, 28)
    assert latest_adult_birth_date(ELECTION_DAY) == date(2008, 6, 15)
    numbered = [
        (2, voter_row(born=date(2010, 2, 28))),
        (3, voter_row("李四", born=date(2010, 3, 1), sequence=125)),
    ]
    result = validate_rows(numbered, COLUMNS, election_day=date(2028, 2, 29), today=TODAY)
    assert [v.name for v in result.valid] == ["张三"]
    assert result.errors[0].message.endswith("（当天 17 岁，2028-03-01 满 18 周岁）")


def test_category_column_absent_means_resident_for_all():
    columns = map_columns(["姓名", "公民身份号码"])
    result = validate(["张三", make_id()], columns=columns)
    assert result.valid[0].category == "resident"


def test_non_resident_needs_the_approval_reference():
    without = voter_row(category="寄居满一年经同意")
    with_it = voter_row(category="寄居", approval="某村民会议〔2026〕1号")
    assert errors_of(without) == [
        "第 2 行 批准文号：登记类别为“寄居满一年经同意”时必须填写村民会议（代表会议）同意的批准文号"
    ]
    result = validate(with_it)
    assert (result.valid[0].category, result.valid[0].approval_reference) == (
        "non_resident_approved",
        "某村民会议〔2026〕1号",
    )


def test_groups_of_the_village():
    assert errors_of(voter_row(group="一组"), groups={"一组", "二组"}) == []
    assert errors_of(voter_row(group="九组"), groups={"一组", "二组"}) == [
        "第 2 行 村民小组：“九组”不是本村的小组（本村小组：一组、二组）"
    ]


def test_duplicates_within_the_file_flag_every_row_and_name_the_others():
    first = voter_row("张三", sequence=11)
    other = voter_row("李四", sequence=12)
    again = voter_row("张三", sequence=11)
    aged = voter_row("张三", sequence=11)
    aged[1] = "女"  # the same number with another problem still counts as a repeat
    result = validate(first, other, again, aged)
    assert result.duplicate_rows == 3
    assert [v.name for v in result.valid] == ["李四"]
    lines = result.error_lines()
    assert "第 2 行 公民身份号码：与第 4 行、第 5 行的身份证号重复（同一人只能登记一次）" in lines
    assert "第 4 行 公民身份号码：与第 2 行、第 5 行的身份证号重复（同一人只能登记一次）" in lines
    assert any(line.startswith("第 5 行 性别") for line in lines)


def test_rows_with_only_a_pre_numbered_serial_are_blank():
    columns = map_columns(["序号", "姓名", "公民身份号码"])
    result = validate([1, "张三", make_id()], [2, "", ""], [3, None, " "], columns=columns)
    assert (result.rows_read, result.blank_rows, len(result.errors)) == (1, 2, 0)


def test_blank_example_and_footer_rows_are_skipped_not_errors():
    example = voter_row()
    example[10] = "示例行（导入时自动忽略，可删除）"
    footer = ["制表人：张三", "", "", "", "", "", "审核人：李四"]
    result = validate(example, ["", " ", None], voter_row("李四", sequence=13), footer)
    assert (result.rows_read, result.blank_rows, result.skipped_rows, len(result.errors)) == (1, 1, 2, 0)


def test_the_template_example_is_skipped_even_without_its_note():
    from voters.importing.validate import EXAMPLE_ID_NUMBER

    example = voter_row(id_number=" " + EXAMPLE_ID_NUMBER)
    result = validate(example, voter_row("李四", sequence=13))
    assert ([v.name for v in result.valid], result.skipped_rows, result.errors) == (["李四"], 1, [])


def test_add_error_for_a_duplicate_found_in_the_cycle():
    result = validate(voter_row("张三", sequence=11), voter_row("李四", sequence=12))
    registered_elsewhere = {make_id(sequence=12)} & set(result.id_numbers())
    result.add_errors(
        (row, result.id_column_label(row), "已在本次换届的其他村登记")
        for row in result.valid
        if row.id_number in registered_elsewhere
    )
    assert [v.name for v in result.valid] == ["张三"]
    assert result.error_lines() == ["第 3 行 公民身份号码：已在本次换届的其他村登记"]
    result.add_error(result.valid[0], "备注", "测试")
    assert result.valid == [] and result.error_rows == 2


def test_progress_is_reported():
    seen = []
    rows = [voter_row(f"张{'一二三四五六七八九十'[i % 10]}", sequence=i) for i in range(1, 12)]
    validate_roll(read_roll_from_rows(rows), election_day=ELECTION_DAY, today=TODAY, progress=seen.append)
    assert seen == [11]


def read_roll_from_rows(rows):
    from voters.importing.reader import RollFile

    sheet = DataSheet(name="", columns=COLUMNS, header_rows=(1,), first_row=2, rows=iter(rows))
    return RollFile(sheets=[sheet])


# --- the fast column-wise path never accepts what the thorough row check rejects -----------------

cell_values = st.one_of(
    st.sampled_from(["", " ", "男", "女", "汉", "汉族", "火星", "一组", "九组", "户籍", "寄居", "示例", "x"]),
    st.text(max_size=6),
    st.integers(-5, 30000),
    st.floats(allow_nan=False),
    st.booleans(),
    st.dates(date(1900, 1, 1), date(2030, 1, 1)),
)
good_rows = st.builds(
    lambda born, sequence, gender, birth: voter_row(
        "张三", born=born, sequence=sequence, gender=gender, birth_text=birth(born)
    ),
    st.dates(date(1930, 1, 1), date(2012, 1, 1)),
    st.integers(0, 999),
    st.sampled_from([None, "", "男", "女"]),
    st.sampled_from(
        [lambda b: b.isoformat(), lambda b: f"{b:%Y%m%d}", lambda b: "", lambda b: b, lambda b: "1980.5"]
    ),
)


@st.composite
def mutated_rows(draw):
    row = list(draw(good_rows))
    for _ in range(draw(st.integers(0, 3))):
        row[draw(st.integers(0, len(row) - 1))] = draw(cell_values)
    return row


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutated_rows(), min_size=1, max_size=8), st.sampled_from([None, {"一组", "二组"}]))
def test_fast_path_agrees_with_the_thorough_check(rows, groups):
    sheet = DataSheet(name="", columns=COLUMNS, header_rows=(1,), first_row=2, rows=iter(()))
    validator = _SheetValidator(sheet, ELECTION_DAY, groups, TODAY)
    numbers = range(2, 2 + len(rows))
    for number, row, fast in zip(numbers, rows, validator.fast_chunk(numbers, rows), strict=True):
        errors = []
        thorough = validator.check(number, row, errors)
        if fast is not None:
            assert errors == [] and thorough == fast
        elif thorough is not None:  # the fast path may only defer on example / footer-like rows
            assert validator.is_skipped(row) or str(row[10]).lstrip().startswith("示例")


# --- error workbook ----------------------------------------------------------------------------


def test_error_workbook_keeps_the_sheet_adds_the_error_column_and_never_writes_formulas(tmp_path):
    from openpyxl import load_workbook

    rows = [
        ["某村选民名单"],
        HEADER,
        voter_row("张三", sequence=11),
        voter_row('=HYPERLINK("http://x")', sequence=12),
        voter_row("李四", sequence=13, id_number=6.30121198005031e17),
        ["+1", "-1", "@SUM(A1)", "\tx"],
    ]
    path = write_xlsx(tmp_path / "in.xlsx", {"名单": rows})
    roll = read_roll(path)
    header_rows = {s.name: s.header_rows[-1] for s in roll.sheets}
    result = validate_roll(roll, election_day=ELECTION_DAY, today=TODAY)
    assert {e.row_number for e in result.errors} == {4, 5, 6}
    data = build_error_workbook(path, "in.xlsx", result.errors, header_rows=header_rows)
    out = tmp_path / "out.xlsx"
    out.write_bytes(data)

    with zipfile.ZipFile(out) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml

    sheet = load_workbook(out)["名单"]
    assert sheet["A1"].value == "某村选民名单"
    assert sheet["L2"].value == "错误说明"
    assert sheet["A3"].value == "张三" and sheet["L3"].value is None
    assert sheet["A4"].value == '=HYPERLINK("http://x")' and sheet["A4"].data_type == "s"
    assert sheet["L4"].value.startswith("姓名：")
    assert sheet["D5"].value == "630121198005031000" and sheet["D5"].data_type == "s"
    assert "Excel 存成了数字" in sheet["L5"].value
    assert sheet["A5"].fill.start_color.rgb.endswith("FFF2CC")
    assert [sheet[c].value for c in ("A6", "B6", "C6", "D6")] == ["+1", "-1", "@SUM(A1)", "\tx"]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_error_workbook_for_csv_and_several_sheets(tmp_path):
    import io

    from openpyxl import load_workbook

    from .files import write_csv

    odd = voter_row("李四", sequence=13)
    odd[10] = "a\x01b<&>\r"  # a control character XML cannot hold, markup characters, a CR
    csv_path = write_csv(tmp_path / "a.csv", [HEADER, voter_row("张3"), odd], encoding="gb18030")
    errors = validate_roll(read_roll(csv_path), election_day=ELECTION_DAY, today=TODAY).errors
    workbook = load_workbook(io.BytesIO(build_error_workbook(csv_path, "a.csv", errors)))
    assert workbook.sheetnames == ["选民名单"]
    assert workbook["选民名单"]["L2"].value == "姓名：姓名“张3”中含有数字"
    assert workbook["选民名单"]["K3"].value == "ab<&>\r"

    path = write_xlsx(
        tmp_path / "b.xlsx", {"一组": [HEADER, voter_row()], "二组": [HEADER, voter_row("李4")]}
    )
    errors = [RowError("二组", 2, "姓名", "含有数字")]
    workbook = load_workbook(io.BytesIO(build_error_workbook(path, "b.xlsx", errors)))
    assert workbook.sheetnames == ["一组", "二组"]
    assert workbook["二组"]["L2"].value == "姓名：含有数字"
    assert workbook["一组"]["L2"].value is None


def test_cell_text():
    assert cell_text(6.30121198005031e17) == "630121198005031000"
    assert cell_text(13800000000.0) == "13800000000"
    assert cell_text(1.5) == "1.5"
    assert cell_text(date(1980, 5, 3)) == "1980-05-03"
    assert cell_text(datetime(1980, 5, 3, 8, 30)) == "1980-05-03 08:30:00"
    assert cell_text(True) == "TRUE"
    assert cell_text(None) == ""


tricky_text = st.text(
    alphabet=st.sampled_from(list("张三a1 \t\n\u3000\u00a0\ufeffＡ１·-示例\x00\x01") + ["\u200b"]), max_size=6
)


@given(st.lists(st.one_of(tricky_text, st.integers(0, 3)), min_size=1, max_size=6))
def test_whole_column_checks_only_pass_clean_cells(column):
    from voters.importing import validate as v

    checks = [
        (v._plain_texts(4), v._limited_text(Field.NOTES), v._is_not_example),
        (v._all_plain_names, parse_name, v._is_real_name),
        (v._all_plain_phones, parse_phone, v._always),
    ]
    for bulk_check, parser, accept in checks:
        if bulk_check(column):
            for raw in column:
                value = parser(raw)
                assert value == raw and accept(value)
                if bulk_check is checks[0][0]:
                    assert len(raw) <= 4
