"""The configurable lists as shipped: joint-review departments, the negative list, occupations.
System administrators change them in the admin site; ``seed`` is idempotent (tests call it after a flush)."""

from django.db import migrations

DEPARTMENTS = [
    ("organization", "组织部门"),
    ("civil_affairs", "民政部门"),
    ("public_security", "公安机关"),
    ("court", "人民法院"),
    ("procuratorate", "人民检察院"),
    ("discipline", "纪委监委"),
    ("justice", "司法行政部门"),
    ("petitions", "信访部门"),
    ("market_regulation", "市场监管部门"),
]

# (code, ground, needs a written detail)
NEGATIVE_LIST = [
    ("criminal_record", "有刑事犯罪记录（受过刑事处罚）", False),
    ("gang", "涉黑涉恶（参与或包庇黑恶势力）", False),
    ("under_investigation", "正在被立案审查调查", False),
    ("vote_buying", "贿选拉票、以不正当手段妨害选举", False),
    ("serious_violation", "严重违法违纪", False),
    ("long_absent", "长期不在村（社区）居住，无法正常履职", False),
    ("cult", "组织或参与邪教活动", False),
    ("dishonest_debtor", "被列为失信被执行人", False),
    ("public_order", "煽动群众闹事、扰乱公共秩序", False),
    ("other", "其他不宜作为候选人的情形（须写明）", True),
]

OCCUPATIONS = [
    "致富能手",
    "退役军人",
    "返乡大学生",
    "外出务工经商返乡人员",
    "农民专业合作社负责人",
    "个体工商户",
    "村（社区）干部",
    "大学生村官",
    "机关企事业单位退休人员",
    "普通农民",
    "其他",
]


def seed(apps, schema_editor):
    Department = apps.get_model("candidates", "Department")
    NegativeListItem = apps.get_model("candidates", "NegativeListItem")
    Occupation = apps.get_model("candidates", "Occupation")
    for order, (code, name) in enumerate(DEPARTMENTS, start=1):
        Department.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order * 10})
    for order, (code, text, needs_detail) in enumerate(NEGATIVE_LIST, start=1):
        NegativeListItem.objects.get_or_create(
            code=code, defaults={"text": text, "sort_order": order * 10, "needs_detail": needs_detail}
        )
    for order, name in enumerate(OCCUPATIONS, start=1):
        Occupation.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


def unseed(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("candidates", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
