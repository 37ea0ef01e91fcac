"""The 56 民族 of China with their GB/T 3304 codes, and the spellings clerks actually type."""

from __future__ import annotations

# (code, official name), in GB/T 3304-1991 order.
ETHNICITIES: tuple[tuple[str, str], ...] = (
    ("01", "汉族"),
    ("02", "蒙古族"),
    ("03", "回族"),
    ("04", "藏族"),
    ("05", "维吾尔族"),
    ("06", "苗族"),
    ("07", "彝族"),
    ("08", "壮族"),
    ("09", "布依族"),
    ("10", "朝鲜族"),
    ("11", "满族"),
    ("12", "侗族"),
    ("13", "瑶族"),
    ("14", "白族"),
    ("15", "土家族"),
    ("16", "哈尼族"),
    ("17", "哈萨克族"),
    ("18", "傣族"),
    ("19", "黎族"),
    ("20", "傈僳族"),
    ("21", "佤族"),
    ("22", "畲族"),
    ("23", "高山族"),
    ("24", "拉祜族"),
    ("25", "水族"),
    ("26", "东乡族"),
    ("27", "纳西族"),
    ("28", "景颇族"),
    ("29", "柯尔克孜族"),
    ("30", "土族"),
    ("31", "达斡尔族"),
    ("32", "仫佬族"),
    ("33", "羌族"),
    ("34", "布朗族"),
    ("35", "撒拉族"),
    ("36", "毛南族"),
    ("37", "仡佬族"),
    ("38", "锡伯族"),
    ("39", "阿昌族"),
    ("40", "普米族"),
    ("41", "塔吉克族"),
    ("42", "怒族"),
    ("43", "乌孜别克族"),
    ("44", "俄罗斯族"),
    ("45", "鄂温克族"),
    ("46", "德昂族"),
    ("47", "保安族"),
    ("48", "裕固族"),
    ("49", "京族"),
    ("50", "塔塔尔族"),
    ("51", "独龙族"),
    ("52", "鄂伦春族"),
    ("53", "赫哲族"),
    ("54", "门巴族"),
    ("55", "珞巴族"),
    ("56", "基诺族"),
)

NAMES: tuple[str, ...] = tuple(name for _, name in ETHNICITIES)
CODE_BY_NAME: dict[str, str] = {name: code for code, name in ETHNICITIES}

# Common variants beyond "name without 族" and the two-digit code; all unambiguous.
_EXTRA_ALIASES = {
    "蒙族": "蒙古族",
    "维族": "维吾尔族",
    "维吾尔": "维吾尔族",
    "土家": "土家族",
    "哈萨克": "哈萨克族",
    "柯尔克孜": "柯尔克孜族",
    "达斡尔": "达斡尔族",
    "鄂伦春": "鄂伦春族",
    "鄂温克": "鄂温克族",
    "乌孜别克": "乌孜别克族",
    "塔吉克": "塔吉克族",
    "俄罗斯": "俄罗斯族",
    "毛难族": "毛南族",  # the official name until 1986
}


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, name in ETHNICITIES:
        lookup[name] = name
        lookup[name.removesuffix("族")] = name
        lookup[code] = name
    lookup.update(_EXTRA_ALIASES)
    return lookup


_LOOKUP = _build_lookup()


def official_name(value: str) -> str | None:
    """The official name (``汉`` → ``汉族``, ``01`` → ``汉族``), or None when it is none of the 56."""
    return _LOOKUP.get("".join(value.split()))
