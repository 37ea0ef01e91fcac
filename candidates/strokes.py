"""姓氏笔画排序 — the order of a party branch's candidate list: by the surname's stroke count, then by the
shape of its first stroke (横 竖 撇 点 折), then the same for the following characters. Pure Python.

The table covers the hundred most common surnames (by population) plus a few common in the provinces
of the demo data; characters outside it sort after every known one, by code point, and
``unknown_characters`` names them so that a clerk can check the order by hand. Stroke counts are those
of the standard simplified forms (通用规范汉字表).
"""

from __future__ import annotations

# First-stroke shapes in their customary order.
HENG, SHU, PIE, DIAN, ZHE = 1, 2, 3, 4, 5

# character: (strokes, first stroke)
STROKES: dict[str, tuple[int, int]] = {
    "丁": (2, HENG),
    "马": (3, ZHE),
    "于": (3, HENG),
    "万": (3, HENG),
    "王": (4, HENG),
    "韦": (4, HENG),
    "尹": (4, ZHE),
    "邓": (4, ZHE),
    "方": (4, DIAN),
    "毛": (4, PIE),
    "孔": (4, ZHE),
    "冯": (5, DIAN),
    "田": (5, SHU),
    "叶": (5, SHU),
    "卢": (5, SHU),
    "石": (5, HENG),
    "付": (5, PIE),
    "白": (5, PIE),
    "龙": (5, HENG),
    "史": (5, SHU),
    "刘": (6, DIAN),
    "孙": (6, ZHE),
    "朱": (6, PIE),
    "许": (6, DIAN),
    "吕": (6, SHU),
    "任": (6, PIE),
    "江": (6, DIAN),
    "闫": (6, DIAN),
    "向": (6, PIE),
    "汤": (6, DIAN),
    "祁": (6, DIAN),
    "李": (7, HENG),
    "张": (7, ZHE),
    "陈": (7, ZHE),
    "杨": (7, HENG),
    "吴": (7, SHU),
    "何": (7, PIE),
    "宋": (7, DIAN),
    "肖": (7, SHU),
    "余": (7, PIE),
    "杜": (7, HENG),
    "苏": (7, HENG),
    "沈": (7, DIAN),
    "陆": (7, ZHE),
    "汪": (7, DIAN),
    "邹": (7, PIE),
    "邱": (7, PIE),
    "邵": (7, ZHE),
    "严": (7, HENG),
    "冶": (7, DIAN),
    "周": (8, PIE),
    "林": (8, HENG),
    "罗": (8, SHU),
    "郑": (8, DIAN),
    "范": (8, HENG),
    "金": (8, PIE),
    "孟": (8, ZHE),
    "武": (8, HENG),
    "赵": (9, HENG),
    "胡": (9, HENG),
    "姚": (9, ZHE),
    "姜": (9, DIAN),
    "钟": (9, PIE),
    "段": (9, PIE),
    "侯": (9, PIE),
    "贺": (9, ZHE),
    "郝": (9, HENG),
    "徐": (10, PIE),
    "郭": (10, DIAN),
    "高": (10, DIAN),
    "唐": (10, DIAN),
    "袁": (10, HENG),
    "贾": (10, HENG),
    "夏": (10, HENG),
    "秦": (10, HENG),
    "陶": (10, ZHE),
    "顾": (10, HENG),
    "钱": (10, PIE),
    "莫": (10, HENG),
    "黄": (11, HENG),
    "梁": (11, DIAN),
    "曹": (11, HENG),
    "崔": (11, SHU),
    "龚": (11, HENG),
    "谢": (12, DIAN),
    "韩": (12, SHU),
    "彭": (12, HENG),
    "曾": (12, DIAN),
    "董": (12, HENG),
    "蒋": (12, HENG),
    "程": (12, PIE),
    "覃": (12, HENG),
    "鲁": (12, PIE),
    "雷": (13, HENG),
    "蔡": (14, HENG),
    "谭": (14, DIAN),
    "廖": (14, DIAN),
    "熊": (14, ZHE),
    "潘": (15, DIAN),
    "黎": (15, PIE),
    "薛": (16, HENG),
    "魏": (17, PIE),
    "戴": (17, HENG),
}

_UNKNOWN = 99


def _char_key(char: str) -> tuple[int, int, int]:
    strokes, first = STROKES.get(char, (_UNKNOWN, 9))
    return (strokes, first, ord(char))


def stroke_sort_key(name: str) -> tuple:
    """Sort key of a full name in 姓氏笔画 order (characters outside the table last, by code point)."""
    return tuple(_char_key(char) for char in name)


def unknown_characters(name: str) -> str:
    """The characters of the surname (first character) missing from the table; empty when it is known."""
    surname = name[:1]
    return "" if not surname or surname in STROKES else surname


def sort_by_strokes(names: list[str]) -> list[str]:
    return sorted(names, key=stroke_sort_key)
