"""Factories for tests: real statistical codes and names from 青海省, so pages read like production."""

import factory

from election_admin.choices import LEVEL_BY_LENGTH, Role, village_level_kind
from election_admin.models import Region, User

TEST_PASSWORD = "Test-password-2026"


def make_region(code: str, name: str) -> Region:
    level = LEVEL_BY_LENGTH[len(code)]
    parent_code = {2: None, 4: code[:2], 6: code[:4], 9: code[:6], 12: code[:9]}[len(code)]
    region, _ = Region.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "level": level,
            "kind": village_level_kind(code) if len(code) == 12 else "",
            "parent_id": parent_code,
        },
    )
    return region


# A small, real slice of the 2023 codes: two townships of 大通县, a township of the neighbouring
# 湟源县 (same city), and a township of 乐都区 in another city (海东市).
REGION_TREE = [
    ("63", "青海省"),
    ("6301", "西宁市"),
    ("630121", "大通回族土族自治县"),
    ("630121100", "桥头镇"),
    ("630121100001", "人民路南居委会"),
    ("630121100002", "人民路北居委会"),
    ("630121100200", "大煤洞村委会"),
    ("630121100201", "元树尔村委会"),
    ("630121100207", "毛家寨村委会"),
    ("630121101", "城关镇"),
    ("630121101201", "上毛佰胜村委会"),
    ("630121101202", "下毛佰胜村委会"),
    ("630123", "湟源县"),
    ("630123100", "城关镇"),
    ("630123100001", "城台社区居民委员会"),
    ("630123100200", "涌兴村委会"),
    ("6302", "海东市"),
    ("630202", "乐都区"),
    ("630202101", "雨润镇"),
    ("630202101200", "汉庄村委会"),
]


def make_region_tree() -> dict[str, Region]:
    return {code: make_region(code, name) for code, name in REGION_TREE}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = Role.TOWNSHIP_STAFF
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()
