"""The roll template clerks download (选民登记表模板.xlsx): the header the reader expects, text-formatted
ID / phone / date columns, drop-down lists and a 填写说明 sheet in plain Chinese."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from voters.ethnicities import NAMES

from .columns import FIELD_LABELS, Field
from .normalize import CATEGORY_LABELS, DATE_FORMATS_HELP
from .validate import EXAMPLE_ID_NUMBER, EXAMPLE_MARKER

TEMPLATE_FILENAME = "选民登记表模板.xlsx"
DATA_SHEET_TITLE = "选民名单"
INSTRUCTIONS_SHEET_TITLE = "填写说明"
CHOICES_SHEET_TITLE = "选项"
TEMPLATE_ROWS = 3000
TEMPLATE_FIELDS: tuple[Field, ...] = (
    Field.NAME,
    Field.GENDER,
    Field.ETHNICITY,
    Field.ID_NUMBER,
    Field.BIRTH_DATE,
    Field.GROUP,
    Field.ADDRESS,
    Field.PHONE,
    Field.CATEGORY,
    Field.APPROVAL_REFERENCE,
    Field.NOTES,
)
TEXT_FIELDS = (Field.ID_NUMBER, Field.BIRTH_DATE, Field.PHONE)
COLUMN_WIDTHS = {
    Field.ID_NUMBER: 22,
    Field.ADDRESS: 28,
    Field.CATEGORY: 18,
    Field.APPROVAL_REFERENCE: 20,
    Field.NOTES: 24,
}
EXAMPLE_NOTE = f"{EXAMPLE_MARKER}行（导入时自动忽略，可删除）"

EXAMPLE_ROW: dict[Field, str] = {
    Field.NAME: "张三",
    Field.GENDER: "男",
    Field.ETHNICITY: "汉族",
    Field.ID_NUMBER: EXAMPLE_ID_NUMBER,
    Field.BIRTH_DATE: "1985-06-15",
    Field.GROUP: "一组",
    Field.ADDRESS: "某某村一组 12 号",
    Field.PHONE: "13800000000",
    Field.CATEGORY: CATEGORY_LABELS["resident"],
    Field.APPROVAL_REFERENCE: "",
    Field.NOTES: EXAMPLE_NOTE,
}

INSTRUCTIONS: tuple[str, ...] = (
    "选民登记表填写说明",
    "",
    "1. 请在“选民名单”工作表中每行填写一位选民，不要修改第一行的列名，也不要合并单元格。",
    "2. 第 2 行灰色斜体是示例，导入时会自动忽略，可以直接删除。",
    "3. 必填：姓名、公民身份号码；登记类别不填写时将无法导入。",
    "4. 公民身份号码必须是 18 位（最后一位可以是 X）。这一列已设置为“文本”格式，请不要改成数字格式："
    "Excel 把身份证号当作数字保存时，最后几位会变成 0，而且无法恢复。",
    "   从其他表格复制身份证号时，请使用“选择性粘贴 → 数值”，或先把目标列设置为“文本”。",
    f"5. 出生日期可以写成 {DATE_FORMATS_HELP}；也可以不填，系统会以身份证号中的出生日期为准。",
    "   如果填写了出生日期或性别，必须与身份证号一致，否则该行会报错。",
    "6. 登记类别（三选一）：",
    "   户籍且居住 —— 户籍在本村并在本村居住；",
    "   户籍外出参加 —— 户籍在本村、不在本村居住，本人表示参加选举；",
    "   寄居满一年经同意 —— 户籍不在本村、在本村居住一年以上，本人申请并经村民会议或村民代表会议同意，"
    "须在“批准文号”一栏填写同意的文号。",
    "7. 年龄：在本村选举日当天年满 18 周岁（生日在选举日当天或之前）才能登记。",
    "8. 同一人在本次换届中只能登记一次：同一身份证号在文件中出现两次，或已在其他村登记，都会报错。",
    "9. 民族请填写 56 个民族的规范名称，如“汉族”“藏族”“回族”（可从下拉列表选择）。",
    "10. 联系电话只填数字，7–20 位。",
    "11. 导入前系统会检查每一行，并列出所有问题（“第 N 行 列名：问题”），可下载带“错误说明”列的表格修改后重新上传。",
)

_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
_EXAMPLE_FONT = Font(italic=True, color="808080")


def _letter(index: int) -> str:
    return chr(65 + index)  # the template has 11 columns: A…K


def build_template() -> bytes:
    """The template .xlsx as bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET_TITLE
    last_row = TEMPLATE_ROWS + 1
    for column, f in enumerate(TEMPLATE_FIELDS):
        letter = _letter(column)
        header = sheet.cell(row=1, column=column + 1, value=FIELD_LABELS[f])
        header.font = Font(bold=True)
        header.fill = _HEADER_FILL
        header.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[letter].width = COLUMN_WIDTHS.get(f, 12)
        example = sheet.cell(row=2, column=column + 1, value=EXAMPLE_ROW[f] or None)
        example.font = _EXAMPLE_FONT
        if f in TEXT_FIELDS:
            example.number_format = "@"
            for row in range(3, last_row + 1):
                sheet.cell(row=row, column=column + 1).number_format = "@"
    sheet.freeze_panes = "A2"

    choices = workbook.create_sheet(CHOICES_SHEET_TITLE)
    for row, name in enumerate(NAMES, start=1):
        choices.cell(row=row, column=1, value=name)
    for row, label in enumerate(CATEGORY_LABELS.values(), start=1):
        choices.cell(row=row, column=2, value=label)
    choices.sheet_state = "hidden"

    position = {f: _letter(i) for i, f in enumerate(TEMPLATE_FIELDS)}
    lists = {
        Field.GENDER: '"男,女"',
        Field.ETHNICITY: f"'{CHOICES_SHEET_TITLE}'!$A$1:$A${len(NAMES)}",
        Field.CATEGORY: f"'{CHOICES_SHEET_TITLE}'!$B$1:$B${len(CATEGORY_LABELS)}",
    }
    for f, formula in lists.items():
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="请从下拉列表中选择",
            error=f"{FIELD_LABELS[f]}请从下拉列表中选择。",
        )
        validation.add(f"{position[f]}2:{position[f]}{last_row}")
        sheet.add_data_validation(validation)

    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET_TITLE)
    instructions.column_dimensions["A"].width = 120
    for row, line in enumerate(INSTRUCTIONS, start=1):
        cell = instructions.cell(row=row, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    instructions["A1"].font = Font(bold=True, size=14)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
