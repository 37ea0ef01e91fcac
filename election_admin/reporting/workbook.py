"""The statistics workbook (统计表) in the layout bureaus use: one sheet per table, the region hierarchy in
rows (indented by level, each level's subtotal), a totals row (合计), Chinese headers.

Figures come from one ``GROUP BY`` per table at the deepest level shown (townships for a province or
city, villages for a county or township), rolled up in Python — every figure is a sum, shares and
averages are recomputed at each level from the sums."""

from __future__ import annotations

from collections import defaultdict
from io import BytesIO

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from election_admin.exports import FORMULA_PREFIXES
from election_admin.models import Cycle, Region

from . import selectors
from .figures import FIGURE_LABELS, GROUP_LABELS, MEMBER_KEYS, ROUND_KEYS
from .models import LEVEL_COLUMNS

ROUND_SHEETS = [
    ("committee", "换届情况（村居委会）"),
    ("party_branch", "换届情况（党组织）"),
    ("supervision", "换届情况（监委会）"),
]
MEMBER_SHEETS = [
    ("both", "两委成员"),
    ("committee", "村居委会成员"),
    ("party_branch", "党组织成员"),
    ("chairs", "村居委会主任"),
    ("secretaries", "党组织书记"),
    ("supervision", "监委会成员"),
]
INDENT = "　"  # full-width space per level below the region


def _depth(code: str) -> int:
    return 12 if len(code) >= 6 else 9


def _ancestors(child: str, top: str) -> list[str]:
    lengths = [n for n in (2, 4, 6, 9, 12) if len(top) <= n <= len(child)]
    return [child[:n] for n in lengths]


def _roll_up(rows: dict, top: str, add) -> dict:
    """{(group, code): sums} at the deepest level → the same for every level from ``top`` down."""
    out: dict = {}
    for (group, child), sums in rows.items():
        if not child:
            continue
        for code in _ancestors(child, top):
            key = (group, code)
            if key not in out:
                out[key] = {k: (None if v is None else 0) for k, v in sums.items()}
            add(out[key], sums)
    return out


def _add(target: dict, sums: dict) -> None:
    for key, value in sums.items():
        if value is None:
            continue
        target[key] = (target.get(key) or 0) + value


def hierarchy_tables(region: Region, cycle: Cycle) -> dict:
    """{"round": {(group, code): figures}, "members": {(group, code): figures}, "codes": [...], "names": {}}."""
    code = region.code
    depth = _depth(code)
    round_raw = selectors._round_rows(cycle, code, depth)
    rounds = {k: selectors._round_finish(dict(v)) for k, v in _roll_up(round_raw, code, _add).items()}
    members_raw = selectors._member_rows(
        selectors._members(cycle, code, tally=depth <= 9), LEVEL_COLUMNS[depth], selectors.MEMBER_GROUPS
    )
    member_sums = _roll_up(members_raw, code, _add)
    members = {}
    for group in selectors.MEMBER_GROUPS:
        codes_for_group = {c for (g, c) in member_sums if g == group}
        for c in codes_for_group:
            members[(group, c)] = selectors._member_finish(member_sums[(group, c)])
    # 一肩挑 share per region: secretaries with the dual role / chairs.
    for (_group, c), row in members.items():
        chairs = member_sums.get(("chairs", c), {}).get("count") or 0
        dual = member_sums.get(("secretaries", c), {}).get("dual_role") or 0
        row["dual_role_villages"] = dual
        row["dual_role_pct"] = selectors.ar.share(dual, chairs)
    codes = sorted(
        {c for (_g, c) in rounds} | {c for (_g, c) in members}, key=lambda c: (c.ljust(12, "0"), len(c))
    )
    names = dict(
        Region.objects.filter(code__in=[c for c in codes if len(c) < 12]).values_list("code", "name")
    )
    village_codes = [c for c in codes if len(c) == 12]
    if village_codes:
        names.update(Region.objects.filter(code__in=village_codes).values_list("code", "name"))
    return {"round": rounds, "members": members, "codes": codes, "names": names}


def _cell(sheet, value, bold=False):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def _write_sheet(workbook, title, meta, header, codes, names, top, values_of) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 28
    for line in meta:
        sheet.append([_cell(sheet, line)])
    sheet.append([_cell(sheet, label, bold=True) for label in ["区划代码", "单位", *header]])
    for code in codes:
        if code == top:
            continue
        values = values_of(code)
        if values is None:
            continue
        depth = [n for n in (2, 4, 6, 9, 12) if n > len(top)].index(len(code))
        sheet.append([_cell(sheet, code), _cell(sheet, INDENT * depth + names.get(code, code)), *values])
    total = values_of(top) or [None] * len(header)
    sheet.append(
        [
            _cell(sheet, top, bold=True),
            _cell(sheet, "合计", bold=True),
            *[_cell(sheet, v, bold=True) for v in total],
        ]
    )


def workbook_bytes(region: Region, cycle: Cycle) -> bytes:
    """The whole workbook as bytes (Chinese headers whatever the request's language)."""
    with translation.override("zh-hans"):
        tables = hierarchy_tables(region, cycle)
        top = region.code
        workbook = Workbook(write_only=True)
        made = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        meta = [f"{region.full_name()} · {cycle.name}", f"生成时间：{made}"]
        codes, names = tables["codes"], tables["names"]
        for group, title in ROUND_SHEETS:
            if not any(g == group and row["due"] for (g, _c), row in tables["round"].items()):
                continue
            header = [str(FIGURE_LABELS[k]) for k in ROUND_KEYS]

            def round_values(code, group=group):
                row = tables["round"].get((group, code))
                return None if row is None else [row.get(k) for k in ROUND_KEYS]

            _write_sheet(
                workbook, title, [*meta, str(GROUP_LABELS[group])], header, codes, names, top, round_values
            )
        for group, title in MEMBER_SHEETS:
            if not any(g == group and row["count"] for (g, _c), row in tables["members"].items()):
                continue
            header = [str(FIGURE_LABELS[k]) for k in MEMBER_KEYS]

            def member_values(code, group=group):
                row = tables["members"].get((group, code))
                return None if row is None else [row.get(k) for k in MEMBER_KEYS]

            _write_sheet(
                workbook, title, [*meta, str(GROUP_LABELS[group])], header, codes, names, top, member_values
            )
        _comparison_sheet(workbook, region, cycle, meta)
        buffer = BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _comparison_sheet(workbook, region: Region, cycle: Cycle, meta: list[str]) -> None:
    if not selectors.has_previous(region, cycle):
        return
    current = selectors.member_statistics(region, cycle)
    previous = selectors.member_statistics(region, cycle, previous=True)
    changes = selectors.member_comparison(current, previous)
    sheet = workbook.create_sheet(title="与上届比较")
    for line in meta:
        sheet.append([_cell(sheet, line)])
    sheet.append([_cell(sheet, v, bold=True) for v in ["类别", "指标", "本届", "上届", "增减"]])
    rows = defaultdict(list)
    for group in selectors.MEMBER_GROUPS:
        for key in MEMBER_KEYS:
            rows[group].append(
                [
                    str(GROUP_LABELS[group]),
                    str(FIGURE_LABELS[key]),
                    current[group].get(key),
                    previous.get(group, {}).get(key),
                    changes.get(group, {}).get(key),
                ]
            )
        for values in rows[group]:
            sheet.append([_cell(sheet, v) for v in values])
