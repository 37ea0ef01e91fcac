"""Documents of a whole area (township, county, city…) in one cycle: the summary workbook (换届选举结果汇总表,
one row per village election, subtotals per township, a totals row) and the batch of result notices
(all certified notices of the area as one PDF or a zip), each stored once per data version with its
SHA-256. The Celery tasks in ``ballots.tasks`` call these with a Job for progress."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.choices import CODE_LENGTH, RegionLevel, Role
from election_admin.choices_cycles import Body, Stage
from election_admin.models import Cycle, Document, DocumentKind, Election, Region
from election_admin.services.documents import document_store

from ..choices import FIRST_ROUND, RUNOFF_ROUND, ResultStatus
from ..models import RoundResult
from ..pdf import POST_TEXT

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Who asks for an area's documents: staff of a township or above (a village clerk has no area of villages).
AREA_ROLES = (
    Role.TOWNSHIP_STAFF,
    Role.COUNTY_BUREAU,
    Role.CITY_BUREAU,
    Role.PROVINCE_BUREAU,
    Role.SYSTEM_ADMIN,
)
BATCH_FORMATS = ("pdf", "zip")
# Notices made per transaction in a batch: fewer commits, and the audit chain's lock held only briefly.
NOTICES_PER_TRANSACTION = 10
POSTS_SHOWN = ("chair", "vice_chair", "women_member", "member", "secretary", "deputy_secretary")
PARTY_POST_TEXT = {"member": "委员", "secretary": "书记", "deputy_secretary": "副书记"}
BODY_SHORT = {
    Body.VILLAGERS_COMMITTEE: "村民委员会",
    Body.RESIDENTS_COMMITTEE: "居民委员会",
    Body.SUPERVISION_COMMITTEE: "村务监督委员会",
    Body.PARTY_BRANCH: "党组织",
}


def area_may_request(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in AREA_ROLES


def area_for(user, cycle: Cycle, code: str) -> Region | None:
    """The area ``code`` if the user sees it, it is a township or above, and the cycle covers part of it."""
    region = Region.objects.visible_to(user).filter(code=code).first()
    if region is None or region.level > RegionLevel.TOWNSHIP:
        return None
    if not (region.code.startswith(cycle.region_id) or cycle.region_id.startswith(region.code)):
        return None
    return region


def _require(user, cycle: Cycle, area: Region) -> None:
    if not area_may_request(user):
        raise PermissionDenied(_("Township staff and the bureaus ask for an area's documents."))
    if (
        area_for(user, cycle, area.code) is None
        or not Cycle.objects.visible_to(user).filter(pk=cycle.pk).exists()
    ):
        raise PermissionDenied(_("This area is outside yours."))


def area_elections(cycle: Cycle, area: Region):
    return (
        Election.objects.filter(cycle=cycle)
        .in_area(area.code)
        .select_related("region")
        .order_by("region_id", "body")
    )


# --- Summary workbook -----------------------------------------------------------------------------


@dataclass
class SummaryRow:
    """One village election's line of the summary workbook."""

    city: str
    county: str
    township: str
    township_code: str
    village: str
    code: str
    body: str
    stage: str
    registered: int | None = None
    voted: int | None = None
    issued: int | None = None
    returned: int | None = None
    valid: int | None = None
    invalid: int | None = None
    winners: dict[str, list[str]] = field(default_factory=dict)
    runoff: bool = False
    status: str = ""

    @property
    def turnout(self) -> float | None:
        if not self.registered or self.voted is None:
            return None
        return self.voted / self.registered


NUMBER_FIELDS = ("registered", "voted", "issued", "returned", "valid", "invalid")


def _names(regions: dict[str, Region], code: str, length: int) -> str:
    region = regions.get(code[:length])
    return region.name if region is not None else ""


def summary_rows(cycle: Cycle, area: Region) -> tuple[list[SummaryRow], str]:
    """The rows (region-code order) and the data version they were read at. Three queries."""
    elections = list(area_elections(cycle, area))
    results = {}
    for result in (
        RoundResult.objects.filter(election__cycle=cycle, is_current=True)
        .in_area(area.code)
        .only("id", "election_id", "round_number", "version", "status", "totals", "outcome")
        .order_by("round_number")
    ):
        results[(result.election_id, result.round_number)] = result
    prefixes = {e.region_id[:length] for e in elections for length in (4, 6, 9)}
    regions = {r.code: r for r in Region.objects.filter(code__in=prefixes).only("code", "name")}
    stages = dict(Stage.choices)
    statuses = dict(ResultStatus.choices)
    rows, version = [], [f"cycle:{cycle.pk}", f"area:{area.code}"]
    for election in elections:
        first = results.get((election.pk, FIRST_ROUND))
        runoff = results.get((election.pk, RUNOFF_ROUND))
        row = SummaryRow(
            city=_names(regions, election.region_id, 4),
            county=_names(regions, election.region_id, 6),
            township=_names(regions, election.region_id, 9),
            township_code=election.region_id[:9],
            village=election.region.name,
            code=election.region_id,
            body=BODY_SHORT.get(election.body, election.body),
            stage=str(stages.get(election.stage, election.stage)),
            registered=election.registered_count,
            voted=election.voted_count,
        )
        version.append(f"e{election.pk}:{election.stage}:{election.registered_count}:{election.voted_count}")
        if first is not None:
            totals = first.totals
            for name in NUMBER_FIELDS:
                setattr(row, name, totals.get(name))
            row.status = str(statuses.get(first.status, first.status))
            row.runoff = bool(first.outcome.get("needs_runoff")) or runoff is not None
        for result in (first, runoff):
            if result is None:
                continue
            version.append(f"r{result.pk}:{result.version}:{result.status}")
            for item in result.outcome.get("decision", {}).get("elected", []):
                row.winners.setdefault(item["post"], []).append(item["name"])
        rows.append(row)
    data_version = hashlib.sha256("|".join(version).encode()).hexdigest()[:24]
    return rows, data_version


def _post_label(post: str) -> str:
    return (
        PARTY_POST_TEXT.get(post) if post in ("secretary", "deputy_secretary") else POST_TEXT.get(post, post)
    )


def summary_header() -> list[str]:
    return [
        "市（州）",
        "县（市、区）",
        "乡镇（街道）",
        "村（社区）",
        "统计代码",
        "选举机构",
        "登记选民数",
        "参加投票人数",
        "参选率",
        "发出选票数",
        "收回选票数",
        "有效票数",
        "无效票数",
        *(f"当选{_post_label(post)}" for post in POSTS_SHOWN),
        "另行选举",
        "结果状态",
        "选举阶段",
    ]


def _add(total: dict, row: SummaryRow) -> None:
    total["elections"] += 1
    total["runoffs"] += int(row.runoff)
    for name in NUMBER_FIELDS:
        value = getattr(row, name)
        if value is not None:
            total[name] += value
            if name == "registered" and row.voted is not None:
                total["turnout_registered"] += value


def _blank_total() -> dict:
    return dict.fromkeys((*NUMBER_FIELDS, "elections", "runoffs", "turnout_registered"), 0)


def _cell(sheet, value, *, font=None, fill=None, number_format=None, alignment=None):
    """A streamed cell, formula-safe like ``election_admin.exports.safe_cell``."""
    from openpyxl.cell import WriteOnlyCell

    from election_admin.exports import safe_cell

    cell = WriteOnlyCell(sheet)
    safe_cell(cell, value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if number_format is not None:
        cell.number_format = number_format
    if alignment is not None:
        cell.alignment = alignment
    return cell


def summary_workbook_bytes(*, title: str, meta: list[str], rows: list[SummaryRow]) -> bytes:
    """The workbook: meta lines, the header (bold, frozen), the rows with a subtotal after each township,
    and a totals row. Streamed (write-only), so a province's tens of thousands of rows stay small in
    memory; every text cell is formula-safe."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("汇总表")
    header = summary_header()
    header_row = len(meta) + 1
    sheet.freeze_panes = f"E{header_row + 1}"  # the names and the code stay in view
    for letter, width in {"A": 12, "B": 16, "C": 16, "D": 22, "E": 14, "F": 14}.items():
        sheet.column_dimensions[letter].width = width
    for text in meta:
        sheet.append([_cell(sheet, text)])
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="center")
    sheet.append([_cell(sheet, label, font=bold, alignment=wrap) for label in header])
    turnout_index = header.index("参选率")
    shade = PatternFill("solid", fgColor="F2F2F2")

    def write(values: list, *, is_total: bool = False) -> None:
        cells = []
        for index, value in enumerate(values):
            percent = "0.0%" if index == turnout_index and isinstance(value, float) else None
            if is_total:
                cells.append(_cell(sheet, value, font=bold, fill=shade, number_format=percent))
            else:
                cells.append(_cell(sheet, value, number_format=percent))
        sheet.append(cells)

    def total_values(label: str, name: str, total: dict) -> list:
        turnout = total["voted"] / total["turnout_registered"] if total["turnout_registered"] else None
        values = ["", "", label, name, f"{total['elections']} 个", ""]
        values += [total["registered"], total["voted"], turnout]
        values += [total[n] for n in ("issued", "returned", "valid", "invalid")]
        values += [""] * len(POSTS_SHOWN) + [f"{total['runoffs']} 个", "", ""]
        return values

    grand, township, current = _blank_total(), _blank_total(), None
    township_name = ""
    for row in rows:
        if current is not None and row.township_code != current:
            write(total_values("小计", township_name, township), is_total=True)
            township = _blank_total()
        current, township_name = row.township_code, row.township
        values = [row.city, row.county, row.township, row.village, row.code, row.body]
        values += [row.registered, row.voted, row.turnout, row.issued, row.returned, row.valid, row.invalid]
        values += ["、".join(row.winners.get(post, [])) for post in POSTS_SHOWN]
        values += ["是" if row.runoff else "否", row.status or "未计票", row.stage]
        write(values)
        _add(township, row)
        _add(grand, row)
    if current is not None:
        write(total_values("小计", township_name, township), is_total=True)
    write(total_values("合计", "", grand), is_total=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def summary_workbook_make(
    *, actor, cycle: Cycle, area: Region, progress: Callable[[int], None] | None = None
) -> Document:
    """Store (once per data version) the area's summary workbook (换届选举结果汇总表)."""
    _require(actor, cycle, area)
    rows, data_version = summary_rows(cycle, area)
    data_version = f"summary-{data_version}"
    existing = _existing(DocumentKind.SUMMARY_WORKBOOK, area, cycle, data_version)
    if existing is not None:
        return existing
    if progress:
        progress(len(rows))
    title = f"{area.name}{cycle.name}选举结果汇总表"
    meta = [
        title,
        f"制表：{getattr(actor, 'full_name', '') or actor}  制表时间：{timezone.localtime():%Y-%m-%d %H:%M}",
    ]
    content = summary_workbook_bytes(title=title, meta=meta, rows=rows)
    with transaction.atomic():
        document = document_store(
            actor=actor,
            kind=DocumentKind.SUMMARY_WORKBOOK,
            region=area,
            title=title,
            content=content,
            filename=f"summary-{area.code}-{cycle.pk}.xlsx",
            content_type=XLSX,
            subject=cycle,
            data_version=data_version,
        )
        audit_record(
            actor=actor,
            event_type="area_documents.summary_made",
            region_code=area.code,
            obj=document,
            after={"cycle": cycle.pk, "rows": len(rows), "data_version": data_version},
        )
    return document


def _existing(kind: str, area: Region, cycle: Cycle, data_version: str) -> Document | None:
    return Document.objects.filter(
        kind=kind,
        region=area,
        subject_type=cycle._meta.label_lower,
        subject_id=str(cycle.pk),
        data_version=data_version,
    ).first()


# --- Batch of result notices ------------------------------------------------------------------------


def certified_results(cycle: Cycle, area: Region) -> list[RoundResult]:
    """The current certified results of the area's elections, in region-code order (round 1, then run-off)."""
    return list(
        RoundResult.objects.filter(election__cycle=cycle, is_current=True, status=ResultStatus.CERTIFIED)
        .in_area(area.code)
        .select_related("election__region", "election__cycle__rule_set")
        .order_by("election__region_id", "election__body", "round_number")
    )


def _notice_documents(results: list[RoundResult]) -> dict[int, Document]:
    """The stored result notices of these results' current versions (one query)."""
    versions = {str(r.pk): f"result-{r.pk}-v{r.version}" for r in results}
    found = Document.objects.filter(
        kind=DocumentKind.RESULT_NOTICE, subject_type="ballots.roundresult", subject_id__in=list(versions)
    )
    return {int(d.subject_id): d for d in found if versions.get(d.subject_id) == d.data_version}


def batch_allowed(area: Region) -> bool:
    """Notices are batched for a township or a county (a city's would be thousands of pages)."""
    return area.level in (RegionLevel.COUNTY, RegionLevel.TOWNSHIP)


def batch_notices_make(
    *,
    actor,
    cycle: Cycle,
    area: Region,
    file_format: str = "pdf",
    progress: Callable[[int], None] | None = None,
) -> Document:
    """All certified result notices of the area as one PDF (concatenated in region-code order) or a zip of
    the individual PDFs (批量公告); notices not made yet are made on the way, stored ones reused."""
    from .notices import result_notices_store_many

    _require(actor, cycle, area)
    if file_format not in BATCH_FORMATS:
        raise ValidationError({"file_format": _("Choose PDF or zip.")})
    if not batch_allowed(area):
        raise ValidationError(_("Notices are put together for a township or a county."))
    results = certified_results(cycle, area)
    if not results:
        raise ValidationError(_("No result of this area is certified yet: there is no notice to print."))
    source = "|".join(f"{r.pk}:{r.version}" for r in results)
    data_version = f"notices-{file_format}-{hashlib.sha256(source.encode()).hexdigest()[:24]}"
    existing = _existing(DocumentKind.RESULT_NOTICE_BATCH, area, cycle, data_version)
    if existing is not None:
        return existing
    stored = _notice_documents(results)
    parts: list[tuple[str, bytes]] = []
    made = 0
    for start in range(0, len(results), NOTICES_PER_TRANSACTION):
        chunk = results[start : start + NOTICES_PER_TRANSACTION]
        missing = [result for result in chunk if result.pk not in stored]
        if missing:
            with transaction.atomic():  # a few notices per commit, each with its own audit event
                stored.update(result_notices_store_many(missing))
            made += len(missing)
        for result in chunk:
            document = stored[result.pk]
            with document.file.open("rb") as handle:
                parts.append((document.filename, handle.read()))
        if progress:
            progress(start + len(chunk))
    if file_format == "pdf":
        content = concatenate_pdfs([data for _name, data in parts])
        filename, content_type = f"result-notices-{area.code}-{cycle.pk}.pdf", "application/pdf"
    else:
        content = zip_files(parts)
        filename, content_type = f"result-notices-{area.code}-{cycle.pk}.zip", "application/zip"
    title = f"{area.name}选举结果公告（{len(results)}份）"
    with transaction.atomic():
        document = document_store(
            actor=actor,
            kind=DocumentKind.RESULT_NOTICE_BATCH,
            region=area,
            title=title,
            content=content,
            filename=filename,
            content_type=content_type,
            subject=cycle,
            data_version=data_version,
        )
        audit_record(
            actor=actor,
            event_type="area_documents.notices_batched",
            region_code=area.code,
            obj=document,
            after={"cycle": cycle.pk, "notices": len(results), "made": made, "format": file_format},
        )
    return document


def concatenate_pdfs(pdfs: list[bytes]) -> bytes:
    """The stored notices one after another, page for page, nothing re-rendered: their objects copied as
    they are (``ballots.pdf.join_pdfs``, 313 notices in about 0.15 s), or for a file not laid out as
    reportlab writes it, by pypdf (about ten times slower: it parses and clones every object)."""
    from ..pdf import PdfLayoutError, join_pdfs

    try:
        return join_pdfs(pdfs)
    except PdfLayoutError:
        return concatenate_pdfs_parsed(pdfs)


def concatenate_pdfs_parsed(pdfs: list[bytes]) -> bytes:
    """The same with pypdf, which parses every file (any layout) and copies its pages."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in pdfs:
        for page in PdfReader(io.BytesIO(data)).pages:  # add_page: no outline or form merging (faster)
            writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_files(parts: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for number, (name, data) in enumerate(parts, start=1):
            archive.writestr(f"{number:04d}-{name}", data)
    return buffer.getvalue()


# --- The area page ------------------------------------------------------------------------------------


def area_overview(user, cycle: Cycle, area: Region) -> dict:
    """What the area page shows: counts, the areas below to drill into, and the documents made so far."""
    elections = Election.objects.filter(cycle=cycle).in_area(area.code)
    results = RoundResult.objects.filter(election__cycle=cycle, is_current=True).in_area(area.code)
    certified = results.filter(status=ResultStatus.CERTIFIED)
    below = []
    if area.level < RegionLevel.TOWNSHIP:
        length = CODE_LENGTH[RegionLevel(area.level + 1)]
        codes = {
            code[:length]
            for code in elections.values_list("region_id", flat=True).distinct()
            if len(code) >= length
        }
        below = list(Region.objects.visible_to(user).filter(code__in=codes).order_by("code"))
    documents = (
        Document.objects.visible_to(user)
        .filter(
            region=area,
            subject_type=cycle._meta.label_lower,
            subject_id=str(cycle.pk),
            kind__in=[DocumentKind.SUMMARY_WORKBOOK, DocumentKind.RESULT_NOTICE_BATCH],
        )
        .order_by("-created_at")[:10]
    )
    return {
        "batch_allowed": batch_allowed(area),
        "election_count": elections.count(),
        "certified_count": certified.count(),
        "below": below,
        "documents": list(documents),
    }


def area_dashboard_panel(*, user, region: Region | None, today, elections: list) -> dict | None:
    """A link to the area's documents on the progress dashboard (township or above). No query: the link
    opens the newest cycle covering the area (``latest_cycle``)."""
    if region is None or not area_may_request(user) or region.level > RegionLevel.TOWNSHIP:
        return None
    return {"template": "ballots/area_dashboard_panel.html", "region": region}


def latest_cycle(user, area_code: str) -> Cycle | None:
    """The newest cycle the user sees that covers part of the area."""
    for cycle in Cycle.objects.visible_to(user).order_by("-window_start", "-pk")[:20]:
        if cycle.region_id.startswith(area_code) or area_code.startswith(cycle.region_id):
            return cycle
    return None
