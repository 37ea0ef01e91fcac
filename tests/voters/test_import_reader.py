"""Reading rolls as townships really have them: .xlsx / .xls / .csv, title rows, merged headers, …"""

import io
from datetime import date, datetime

import pytest

from voters.importing.columns import (
    Field,
    combine_header_rows,
    field_for_header,
    map_columns,
    normalize_header,
)
from voters.importing.reader import RollFileError, decode_text, find_header, read_roll
from voters.importing.template import EXAMPLE_ROW, TEMPLATE_ROWS, build_template
from voters.importing.validate import validate_roll

from .files import HEADER, make_id, voter_row, write_csv, write_xls, write_xlsx

ELECTION_DAY = date(2026, 6, 15)


def rows_of(roll, sheet=0):
    return list(roll.sheets[sheet].numbered_rows())


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("身份证号", Field.ID_NUMBER),
        ("公民身份号码", Field.ID_NUMBER),
        ("身份证号码", Field.ID_NUMBER),
        ("身份证", Field.ID_NUMBER),
        ("身分证号码", Field.ID_NUMBER),
        (" 公民身份号码（必填）＊", Field.ID_NUMBER),
        ("*姓 名", Field.NAME),
        ("姓　名", Field.NAME),
        ("出生年月", Field.BIRTH_DATE),
        ("居民小组", Field.GROUP),
        ("组别", Field.GROUP),
        ("家庭住址", Field.ADDRESS),
        ("手机号", Field.PHONE),
        ("参选类别(必填)", Field.CATEGORY),
        ("同意文号", Field.APPROVAL_REFERENCE),
        ("备注：", Field.NOTES),
        ("序号", None),
        ("", None),
    ],
)
def test_header_synonyms(header, field):
    assert field_for_header(header) == field


def test_normalize_header_and_two_row_headers():
    assert normalize_header("（必填）身份证号 (18位) *") == "身份证号"
    upper = ["选民信息", "", "身份证号", "备注"]
    lower = ["姓名", "性别", "", ""]
    combined = combine_header_rows(upper, lower)
    assert combined == ["姓名", "性别", "身份证号", "备注"]
    columns = map_columns(combined)
    assert columns.columns == {Field.NAME: 0, Field.GENDER: 1, Field.ID_NUMBER: 2, Field.NOTES: 3}
    assert find_header([["某村选民名单"], upper, lower, ["张三", "男", "x", ""]])[1:] == (1, 2)


def test_first_of_two_columns_naming_the_same_field_wins():
    columns = map_columns(["姓名", "手机", "电话", "身份证号"])
    assert columns.columns[Field.PHONE] == 1
    assert columns.label(Field.PHONE) == "手机"
    assert columns.label(Field.CATEGORY) == "登记类别"  # absent: our template's name


def test_xlsx_as_townships_have_it(tmp_path):
    """Title rows, a merged two-row header, numeric ID cells, full-width digits, lowercase x,
    date variants (text, 8 digits, Excel serial numbers, real date cells) and blank rows."""
    x_id = next(
        make_id(date(1980, 5, 3), s) for s in range(1, 999, 2) if make_id(date(1980, 5, 3), s).endswith("X")
    )
    full_width_id = "".join(chr(ord(c) + 0xFEE0) for c in make_id(date(1975, 1, 2), 22))
    sheet = [
        ["某某县某某镇某某村第十二届村民委员会选举选民名单"],
        ["填报单位：某某村民选举委员会", None, None, "填报日期：2026年5月"],
        ["序号", "选民信息", None, "公民身份号码", "出生日期", "村民小组", "备注"],
        [None, "姓名", "性别"],
        [1, "张三", "男", x_id.lower(), "1980.5.3", "一组", ""],
        [2, "李　四", "女", full_width_id, "19750102", "一组", ""],
        [None, None, None, None, None, None, None],
        [3, "王五", "男", 6.30121198005031e17, 29344, "二组", ""],
        [4, "赵六", "女", make_id(date(1990, 7, 1), 44), datetime(1990, 7, 1), "二组", ""],
        [5, "钱七", "男", make_id(date(1985, 3, 9), 55), "1985年3月9日", "三组", ""],
    ]
    path = write_xlsx(
        tmp_path / "名单.xlsx", {"Sheet1": sheet}, merges={"Sheet1": ["A1:G1", "B3:C3", "D3:D4", "A3:A4"]}
    )
    roll = read_roll(path, "名单.xlsx")
    assert roll.errors == []
    data = roll.sheets[0]
    assert data.header_rows == (3, 4)
    assert data.columns.columns[Field.ID_NUMBER] == 3
    assert data.columns.label(Field.ID_NUMBER) == "公民身份号码"
    numbered = rows_of(roll)
    assert [n for n, _ in numbered] == [5, 6, 7, 8, 9, 10]
    assert numbered[3][1][3] == pytest.approx(6.30121198005031e17)  # numeric cell kept as a number

    result = validate_roll(read_roll(path, "名单.xlsx"), election_day=ELECTION_DAY)
    assert result.blank_rows == 1
    assert result.rows_read == 5
    assert [(v.row_number, v.name, v.id_number) for v in result.valid] == [
        (5, "张三", x_id),
        (6, "李四", make_id(date(1975, 1, 2), 22)),
        (9, "赵六", make_id(date(1990, 7, 1), 44)),
        (10, "钱七", make_id(date(1985, 3, 9), 55)),
    ]
    assert result.error_lines() == [
        "第 8 行 公民身份号码：身份证号被 Excel 存成了数字，末尾几位已经丢失，无法恢复。"
        "请把这一列设置为“文本”格式后重新录入这些身份证号。"
    ]
    assert any("1 行的身份证号被 Excel 存成了数字" in note for note in result.notes)


def test_data_not_starting_in_a1(tmp_path):
    path = tmp_path / "offset.xlsx"
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for column, value in enumerate(["姓名", "公民身份号码"], start=3):
        sheet.cell(row=3, column=column, value=value)
    sheet.cell(row=5, column=3, value="张三")
    sheet.cell(row=5, column=4, value=make_id())
    workbook.save(path)
    result = validate_roll(read_roll(path), election_day=ELECTION_DAY)
    assert [(v.row_number, v.name) for v in result.valid] == [(5, "张三")]
    assert result.blank_rows == 1


def test_vertically_merged_group_cells_are_filled_down(tmp_path):
    rows = [["姓名", "公民身份号码", "村民小组"]]
    rows += [[f"张{'一二三四'[i]}", make_id(sequence=100 + i), "一组" if i == 0 else None] for i in range(4)]
    path = write_xlsx(tmp_path / "m.xlsx", {"名单": rows}, merges={"名单": ["C2:C5"]})
    result = validate_roll(read_roll(path), election_day=ELECTION_DAY)
    assert [v.group for v in result.valid] == ["一组"] * 4


def test_several_sheets_skip_instructions_and_prefix_errors_with_the_sheet(tmp_path):
    instructions = [["填写说明"], ["1. 身份证号请设置为文本格式"], ["2. 姓名必填"]]
    first = [HEADER, voter_row("张三", sequence=11)]
    second = [HEADER, voter_row("李四", sequence=12), voter_row("王五", sequence=11)]
    path = write_xlsx(
        tmp_path / "多表.xlsx", {"说明": instructions, "一组": first, "二组": second, "Sheet3": []}
    )
    roll = read_roll(path)
    assert [s.name for s in roll.sheets] == ["一组", "二组"]
    assert roll.has_several_sheets
    result = validate_roll(roll, election_day=ELECTION_DAY)
    assert result.error_lines() == [
        "一组 第 2 行 公民身份号码：与二组 第 3 行的身份证号重复（同一人只能登记一次）",
        "二组 第 3 行 公民身份号码：与一组 第 2 行的身份证号重复（同一人只能登记一次）",
    ]
    assert [v.name for v in result.valid] == ["李四"]


def test_a_sheet_without_header_is_skipped_with_a_note(tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx", {"统计": [["合计", 12], ["村民小组数", 3]], "名单": [HEADER, voter_row()]}
    )
    roll = read_roll(path)
    assert [s.name for s in roll.sheets] == ["名单"]
    assert roll.notes == ["工作表“统计”前 15 行没有找到选民名单的表头，已跳过"]


def test_hidden_sheet_with_a_roll_is_not_imported(tmp_path):
    from openpyxl import load_workbook

    path = write_xlsx(
        tmp_path / "h.xlsx", {"名单": [HEADER, voter_row()], "旧名单": [HEADER, voter_row("李四")]}
    )
    workbook = load_workbook(path)
    workbook["旧名单"].sheet_state = "hidden"
    workbook.save(path)
    roll = read_roll(path)
    assert [s.name for s in roll.sheets] == ["名单"]
    assert roll.notes == ["工作表“旧名单”是隐藏的，其中的名单没有导入"]


def test_missing_required_columns_is_one_clear_file_error(tmp_path):
    path = write_xlsx(
        tmp_path / "m.xlsx", {"名单": [["序号", "姓名", "性别", "住址"], [1, "张三", "男", "某村"]]}
    )
    roll = read_roll(path)
    assert roll.sheets == []
    assert roll.errors == [
        "工作表“名单”缺少必填列：公民身份号码。找到的表头是：序号、姓名、性别、住址。"
        "请在表头中使用“姓名”“公民身份号码”等列名。"
    ]
    result = validate_roll(roll, election_day=ELECTION_DAY)
    assert result.file_errors == roll.errors
    assert not result.is_importable


def test_no_header_anywhere(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", {"Sheet1": [["你好"], ["世界"]]})
    roll = read_roll(path)
    assert roll.sheets == []
    assert "没有找到选民名单的表头" in roll.errors[0]


def test_xls(tmp_path):
    rows = [["某村选民名单"], HEADER, voter_row("张三", sequence=11), voter_row("李四", sequence=12)]
    rows.append(["王五", "男", "汉族", 630121198005031234, date(1980, 5, 3), "一组", "", "", "户籍", "", ""])
    path = write_xls(tmp_path / "名单.xls", {"选民": rows})
    result = validate_roll(read_roll(path), election_day=ELECTION_DAY)
    assert [(v.row_number, v.name) for v in result.valid] == [(3, "张三"), (4, "李四")]
    assert [(e.row_number, e.column) for e in result.errors] == [(5, "公民身份号码")]
    assert "Excel 存成了数字" in result.errors[0].message


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("gb18030", ","), ("utf-8-sig", ","), ("utf-8", ","), ("gb18030", "\t"), ("utf-16", "\t")],
)
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    rows = [["选民名单"], HEADER, voter_row("张三", sequence=11), [], voter_row("欧阳娜娜", sequence=12)]
    path = write_csv(tmp_path / "名单.csv", rows, encoding=encoding, delimiter=delimiter)
    result = validate_roll(read_roll(path), election_day=ELECTION_DAY)
    assert [(v.row_number, v.name) for v in result.valid] == [(3, "张三"), (5, "欧阳娜娜")]
    assert result.blank_rows == 1
    assert not result.has_several_sheets


def test_csv_from_a_file_object_and_short_rows():
    content = "姓名,公民身份号码,备注\n张三," + make_id() + "\n"
    roll = read_roll(io.BytesIO(content.encode("gb18030")), "a.csv")
    result = validate_roll(roll, election_day=ELECTION_DAY)
    assert [v.name for v in result.valid] == ["张三"]


def test_decode_text():
    assert decode_text("身份证".encode("gb18030")) == "身份证"
    assert decode_text("\ufeff身份证".encode()) == "身份证"
    with pytest.raises(RollFileError):
        decode_text(b"\x81\x20\xff\xff\x81")


def test_unreadable_files(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(RollFileError):
        read_roll(broken)
    with pytest.raises(RollFileError):
        read_roll(tmp_path / "x.pdf")


def test_template_reads_back_with_no_rows_and_no_noise(tmp_path):
    path = tmp_path / "template.xlsx"
    path.write_bytes(build_template())
    roll = read_roll(path)
    assert [s.name for s in roll.sheets] == ["选民名单"]
    assert roll.notes == [] and roll.errors == []
    result = validate_roll(roll, election_day=ELECTION_DAY)
    assert (result.rows_read, result.skipped_rows, len(result.errors)) == (0, 1, 0)


def test_template_contents(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "template.xlsx"
    path.write_bytes(build_template())
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["选民名单", "选项", "填写说明"]
    sheet = workbook["选民名单"]
    assert [c.value for c in sheet[1]] == [
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
    assert sheet["A2"].font.italic and sheet["K2"].value == EXAMPLE_ROW[Field.NOTES]
    for column in "DEH":  # ID, birth date, phone
        assert sheet[f"{column}3"].number_format == "@"
        assert sheet[f"{column}{TEMPLATE_ROWS + 1}"].number_format == "@"
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert validations["B2:B3001"] == '"男,女"'
    assert validations["C2:C3001"].endswith("$A$1:$A$56")
    assert validations["I2:I3001"].endswith("$B$1:$B$3")
    assert workbook["选项"].sheet_state == "hidden"
    text = "\n".join(str(c.value) for c in workbook["填写说明"]["A"] if c.value)
    for rule in ("文本", "1980-05-03", "户籍外出参加", "寄居满一年经同意", "18 周岁"):
        assert rule in text


def test_xlsx_from_a_file_object(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", {"名单": [HEADER, voter_row()]})
    upload = io.BytesIO(path.read_bytes())
    result = validate_roll(read_roll(upload, "上传的名单.xlsx"), election_day=ELECTION_DAY)
    assert [v.name for v in result.valid] == ["张三"]


def test_expected_rows_for_a_progress_bar(tmp_path):
    rows = [["名单"], HEADER, voter_row(), [], voter_row("李四", sequence=12)]
    xlsx = read_roll(write_xlsx(tmp_path / "a.xlsx", {"一组": rows, "二组": rows[1:3]}))
    assert [s.expected_rows for s in xlsx.sheets] == [3, 1]
    assert xlsx.expected_rows == 4
    csv_roll = read_roll(write_csv(tmp_path / "a.csv", rows))
    assert csv_roll.expected_rows == 3
