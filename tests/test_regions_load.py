"""Loading the statistical division codes: the shipped 青海省 subset, re-runs, and malformed files."""

import csv
import gzip
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from election_admin.choices import RegionKind, RegionLevel
from election_admin.models import Region
from election_admin.regions_loader import DEFAULT_SOURCE_DIR, MAX_ERRORS, regions_load

HEADERS = {
    "provinces": ["code", "name"],
    "cities": ["code", "name", "provinceCode"],
    "areas": ["code", "name", "cityCode", "provinceCode"],
    "streets": ["code", "name", "areaCode", "provinceCode", "cityCode"],
    "villages": ["code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"],
}

Tree = dict[str, list[list[str]]]


def small_tree() -> Tree:
    """Two provinces in the national format: 甘肃省 兰州市 … and 青海省 西宁市 大通县 桥头镇 …"""
    return {
        "provinces": [["62", "甘肃省"], ["63", "青海省"]],
        "cities": [["6201", "兰州市", "62"], ["6301", "西宁市", "63"]],
        "areas": [["620102", "城关区", "6201", "62"], ["630121", "大通回族土族自治县", "6301", "63"]],
        "streets": [
            ["620102001", "酒泉路街道", "620102", "62", "6201"],
            ["630121100", "桥头镇", "630121", "63", "6301"],
        ],
        "villages": [
            ["620102001001", "畅家巷社区居委会", "620102001", "62", "6201", "620102"],
            ["630121100001", "东门社区居委会", "630121100", "63", "6301", "630121"],
            ["630121100201", "新添堡村委会", "630121100", "63", "6301", "630121"],
            ["630121100203", "下元堡村委会", "630121100", "63", "6301", "630121"],
        ],
    }


def write_tree(directory: Path, tree: Tree, headers: dict[str, list[str]] | None = None) -> Path:
    """Write the files as plain UTF-8 ``.csv`` (the shipped data is ``.csv.gz``)."""
    headers = {**HEADERS, **(headers or {})}
    for stem, rows in tree.items():
        with open(directory / f"{stem}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers[stem])
            writer.writerows(rows)
    return directory


def table_snapshot() -> list[tuple]:
    return list(Region.objects.order_by("code").values_list("code", "name", "level", "kind", "parent_id"))


@pytest.mark.django_db
def test_shipped_qinghai_subset_loads():
    out = io.StringIO()
    call_command("load_regions", stdout=out)

    villages = Region.objects.filter(level=RegionLevel.VILLAGE_LEVEL)
    assert villages.filter(code__startswith="63").count() == 4716
    assert villages.filter(code__startswith="630121", kind=RegionKind.VILLAGE).count() == 289
    assert villages.filter(code__startswith="630121", kind=RegionKind.COMMUNITY).count() == 24
    assert Region.objects.get(code="630121").parent_id == "6301"
    assert Region.objects.get(code="63").parent_id is None
    assert Region.objects.filter(level=RegionLevel.PROVINCE).count() == 1

    summary = out.getvalue()
    assert "村级" in summary and "4,716" in summary and "用时" in summary

    event = AuditEvent.objects.get(event_type="region.loaded")
    assert event.actor_username == "manage.py load_regions"
    assert event.after["levels"]["village_level"] == {
        "rows": 4716,
        "inserted": 4716,
        "updated": 0,
        "unchanged": 0,
        "kinds": {"community": 536, "village": 4145, "other": 35},
    }
    assert event.after["total"]["inserted"] == 5192
    assert len(event.after["files"]["villages.csv.gz"]["sha256"]) == 64


@pytest.mark.django_db
def test_rerun_changes_nothing():
    first = regions_load(source_dir=DEFAULT_SOURCE_DIR)
    before = table_snapshot()

    second = regions_load(source_dir=DEFAULT_SOURCE_DIR)

    assert table_snapshot() == before
    assert len(before) == first.total.rows == second.total.rows == 5192
    assert (second.total.inserted, second.total.updated, second.total.unchanged) == (0, 0, 5192)
    assert AuditEvent.objects.filter(event_type="region.loaded").count() == 2


@pytest.mark.django_db
def test_renamed_village_is_updated_from_plain_csv_with_bom(tmp_path):
    regions_load(source_dir=DEFAULT_SOURCE_DIR)
    count = Region.objects.count()
    for source in DEFAULT_SOURCE_DIR.glob("*.csv.gz"):
        text = gzip.decompress(source.read_bytes()).decode()
        if source.name == "villages.csv.gz":
            assert '630121100201,"元树尔村委会"' in text
            text = text.replace('630121100201,"元树尔村委会"', '630121100201,"元树尔村民委员会"')
        (tmp_path / source.name.removesuffix(".gz")).write_text("\ufeff" + text, encoding="utf-8")

    result = regions_load(source_dir=tmp_path)

    assert Region.objects.get(code="630121100201").name == "元树尔村民委员会"
    assert Region.objects.count() == count
    village_level = result.levels[RegionLevel.VILLAGE_LEVEL]
    assert (village_level.inserted, village_level.updated, village_level.unchanged) == (0, 1, 4715)
    assert result.total.updated == 1


@pytest.mark.django_db
def test_province_option_loads_only_that_province(tmp_path):
    write_tree(tmp_path, small_tree())

    result = regions_load(source_dir=tmp_path, province="63")

    assert sorted(Region.objects.values_list("code", flat=True)) == [
        "63",
        "6301",
        "630121",
        "630121100",
        "630121100001",
        "630121100201",
        "630121100203",
    ]
    assert result.total.inserted == 7
    with pytest.raises(ValidationError, match="没有省级代码为 11 的区划"):
        regions_load(source_dir=tmp_path, province="11")
    with pytest.raises(ValidationError, match="省级代码应为 2 位数字"):
        regions_load(source_dir=tmp_path, province="630")


@pytest.mark.django_db
def test_parent_may_already_be_in_the_database(tmp_path, regions):
    write_tree(tmp_path, {"villages": [["630121100204", "向化村委会", "630121100", "63", "6301", "630121"]]})

    regions_load(source_dir=tmp_path)

    village = Region.objects.get(code="630121100204")
    assert (village.parent_id, village.level, village.kind) == (
        "630121100",
        RegionLevel.VILLAGE_LEVEL,
        "village",
    )


def _rows(stem: str, change: Callable[[list[list[str]]], None]) -> Callable[[Tree], None]:
    return lambda tree: change(tree[stem])


def _set(stem: str, index: int, column: int, value: str) -> Callable[[Tree], None]:
    def change(tree: Tree) -> None:
        tree[stem][index][column] = value

    return change


MALFORMED = {
    "missing column": (
        None,
        {"villages": ["code", "name", "provinceCode", "cityCode", "areaCode"]},
        "villages.csv 缺少必需的列：streetCode",
    ),
    "bad code length": (
        _set("villages", 2, 0, "63012110020"),
        None,
        'villages.csv 第 4 行：代码 "63012110020" 应为 12 位数字',
    ),
    "non-digit code": (
        _set("streets", 1, 0, "63012110O"),
        None,
        'streets.csv 第 3 行：代码 "63012110O" 应为 9 位数字',
    ),
    "orphan parent": (
        _rows("streets", lambda rows: rows.append(["630199100", "无主镇", "630199", "63", "6301"])),
        None,
        'streets.csv 第 4 行：上级代码 "630199" 不存在',
    ),
    "code not under its parent": (
        _set("villages", 3, 0, "630122100203"),
        None,
        'villages.csv 第 5 行：代码 "630122100203" 不以上级代码 "630121100" 开头',
    ),
    "duplicate code": (
        _rows("villages", lambda rows: rows.append(list(rows[1]))),
        None,
        'villages.csv 第 6 行：代码 "630121100001" 重复（第 3 行已有）',
    ),
    "empty name": (
        _set("cities", 1, 1, "  "),
        None,
        'cities.csv 第 3 行：代码 "6301" 的名称为空',
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_files_are_rejected_and_nothing_is_written(case, tmp_path, regions):
    change, headers, message = MALFORMED[case]
    tree = small_tree()
    if change is not None:
        change(tree)
    write_tree(tmp_path, tree, headers)
    before = table_snapshot()

    with pytest.raises(CommandError) as raised:
        call_command("load_regions", path=str(tmp_path), stdout=io.StringIO())

    assert "未写入任何数据" in str(raised.value)
    assert message in str(raised.value)
    assert table_snapshot() == before
    assert not AuditEvent.objects.filter(event_type="region.loaded").exists()


@pytest.mark.django_db
def test_errors_are_collected_up_to_the_limit(tmp_path):
    tree = small_tree()
    tree["villages"] += [
        [f"6301211{n:04d}", "坏代码", "630121100", "63", "6301", "630121"] for n in range(80)
    ]
    write_tree(tmp_path, tree)

    with pytest.raises(ValidationError) as raised:
        regions_load(source_dir=tmp_path)

    messages = raised.value.messages
    assert len(messages) == MAX_ERRORS + 1
    assert messages[0] == 'villages.csv 第 6 行：代码 "63012110000" 应为 12 位数字'
    assert "错误超过 50 条" in messages[-1]
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_unreadable_sources_are_reported(tmp_path):
    write_tree(tmp_path, {"provinces": [["63", "青海省"]]})
    shutil.copy(tmp_path / "provinces.csv", tmp_path / "provinces.csv.gz")
    with pytest.raises(ValidationError, match="同时有 provinces.csv 和 provinces.csv.gz"):
        regions_load(source_dir=tmp_path)

    (tmp_path / "provinces.csv.gz").unlink()
    (tmp_path / "provinces.csv").write_bytes("code,name\n63,青海省\n".encode("gbk"))
    with pytest.raises(ValidationError, match="provinces.csv：不是 UTF-8 编码"):
        regions_load(source_dir=tmp_path)

    with pytest.raises(ValidationError, match="找不到目录"):
        regions_load(source_dir=tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValidationError, match="没有区划文件"):
        regions_load(source_dir=tmp_path / "empty")
    assert not Region.objects.exists()
