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


# A small but real slice of the tree: two townships of 大通县, one township of the neighbouring
# 湟中区, and one county of another city (海东市 平安区).
REGION_TREE = [
    ("63", "青海省"),
    ("6301", "西宁市"),
    ("630121", "大通回族土族自治县"),
    ("630121100", "桥头镇"),
    ("630121100001", "东门社区居委会"),
    ("630121100002", "西门社区居委会"),
    ("630121100201", "新添堡村委会"),
    ("630121100202", "毛家寨村委会"),
    ("630121100203", "下元堡村委会"),
    ("630121101", "城关镇"),
    ("630121101201", "城关村委会"),
    ("630121101202", "大寺沟村委会"),
    ("630122", "湟中区"),
    ("630122100", "鲁沙尔镇"),
    ("630122100201", "阳坡村委会"),
    ("6302", "海东市"),
    ("630202", "平安区"),
    ("630202100", "平安镇"),
    ("630202100201", "东村村委会"),
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
