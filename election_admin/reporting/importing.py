"""The Excel list of the people elected in the previous term (上届当选人名单), for the first cycle in the
system: a template with Chinese headers and a reader that turns the rows into what
``services.previous_members_import`` takes — the ID number becomes its keyed hash at once (birth date
and gender are read from it when left empty) and is never stored."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from voters.idnumber import IdProblem, parse_id
from voters.pii import id_hash

COLUMNS = [
    ("village_code", "村（社区）区划代码"),
    ("body", "组织"),
    ("post", "职务"),
    ("party_post", "党内职务"),
    ("name", "姓名"),
    ("id_number", "公民身份号码"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_date", "出生日期"),
    ("education", "文化程度"),
    ("party_membership", "政治面貌"),
    ("occupation", "职业"),
]
BODIES = {
    "村民委员会": "villagers_committee",
    "村委会": "villagers_committee",
    "居民委员会": "residents_committee",
    "居委会": "residents_committee",
    "党组织": "party_branch",
    "党支部": "party_branch",
    "党总支": "party_branch",
    "党委": "party_branch",
    "监督委员会": "supervision_committee",
    "监委会": "supervision_committee",
}
POSTS = {
    "主任": "chair",
    "副主任": "vice_chair",
    "委员": "member",
    "妇女委员": "women_member",
    "成员": "member",
}
PARTY_POSTS = {"": "", "书记": "secretary", "副书记": "deputy_secretary", "委员": "member"}
GENDERS = {"男": "male", "女": "female"}
EDUCATION = {
    "小学": "primary",
    "初中": "junior",
    "高中": "senior",
    "中专": "senior",
    "高中（中专）": "senior",
    "大专": "college",
    "本科": "bachelor",
    "大学本科": "bachelor",
    "研究生": "postgraduate",
}
PARTY = {
    "中共党员": "cpc_member",
    "中共预备党员": "cpc_probationary",
    "共青团员": "league",
    "民主党派": "other_party",
    "群众": "none",
    "": "none",
}
EXAMPLE = [
    "630121100201",
    "党组织",
    "委员",
    "书记",
    "张三",
    "（18位公民身份号码）",
    "男",
    "汉族",
    "1980-05-01",
    "大专",
    "中共党员",
    "农民",
]


def template_bytes() -> bytes:
    """The empty template: the header row and one example row (delete it before importing)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "上届当选人"
    sheet.append([label for _key, label in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(EXAMPLE)
    notes = book.create_sheet("填写说明")
    for line in [
        "每位当选人每个组织一行；同一人同时当选村（居）委会和党组织的，填两行。",
        "组织：村民委员会 / 居民委员会 / 党组织 / 监督委员会。职务：主任 / 副主任 / 委员 / 妇女委员（党组织填“委员”）。",
        "党内职务（仅党组织）：书记 / 副书记 / 委员。文化程度：小学 / 初中 / 高中（中专）/ 大专 / 大学本科 / 研究生。",
        "政治面貌：中共党员 / 中共预备党员 / 共青团员 / 民主党派 / 群众。",
        "公民身份号码只用于与本届当选人比对是否连任，系统只保存其不可逆的加密摘要。出生日期、性别可留空，由身份号码得出。",
    ]:
        notes.append([line])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(content: bytes) -> tuple[list[dict], list[str]]:
    """Rows for the import service, and the problems found (in Chinese, naming row and column)."""
    sheet = load_workbook(BytesIO(content), read_only=True, data_only=True).worksheets[0]
    rows, errors = [], []
    header = None
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if header is None:
            header = [_text(v) for v in values]
            missing = [label for _key, label in COLUMNS if label not in header]
            if missing:
                return [], [f"第 1 行：缺少列 {'、'.join(missing)}。请使用模板。"]
            continue
        cells = {
            key: values[header.index(label)] if header.index(label) < len(values) else None
            for key, label in COLUMNS
        }
        if not any(_text(v) for v in cells.values()):
            continue
        problems = []

        def mapped(key, table, label, cells=cells, problems=problems):
            text = _text(cells[key])
            if text not in table:
                problems.append(f"{label}“{text}”无法识别")
                return ""
            return table[text]

        body = mapped("body", BODIES, "组织")
        post = mapped("post", POSTS, "职务")
        party_post = mapped("party_post", PARTY_POSTS, "党内职务")
        education = mapped("education", EDUCATION, "文化程度")
        party = mapped("party_membership", PARTY, "政治面貌")
        parsed = parse_id(cells["id_number"])
        if isinstance(parsed, IdProblem):
            problems.append(f"公民身份号码：{parsed.message}")
            parsed = None
        gender_text = _text(cells["gender"])
        gender = GENDERS.get(gender_text) or (parsed.gender if parsed else "")
        if gender_text and gender_text not in GENDERS:
            problems.append(f"性别“{gender_text}”无法识别")
        birth = cells["birth_date"]
        if isinstance(birth, datetime):
            birth = birth.date()
        elif _text(birth):
            try:
                birth = date.fromisoformat(_text(birth).replace("/", "-").replace(".", "-"))
            except ValueError:
                problems.append(f"出生日期“{_text(birth)}”应为 年-月-日")
                birth = None
        else:
            birth = parsed.birth_date if parsed else None
        if not _text(cells["name"]):
            problems.append("姓名为空")
        if problems:
            errors.append(f"第 {number} 行：" + "；".join(problems) + "。")
            continue
        rows.append(
            {
                "village_code": _text(cells["village_code"]),
                "body": body,
                "post": post,
                "party_post": party_post,
                "name": _text(cells["name"]),
                "gender": gender,
                "ethnicity": _text(cells["ethnicity"]),
                "birth_date": birth,
                "education": education,
                "party_membership": party,
                "occupation": _text(cells["occupation"]),
                "id_hash": id_hash(parsed.number),
                "row": number,
            }
        )
    return rows, errors
