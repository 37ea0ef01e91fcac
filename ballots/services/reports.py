"""The tally report (计票汇总表) of one election: per ballot box, its figures and each candidate's votes,
one sheet per round (round 1, then the run-off 另行选举 if it was counted), with the names written in
(另选他人) and the ballots void for one post as columns of their own. Every cell is formula-safe."""

from __future__ import annotations

import hashlib
from io import BytesIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from audit.services import audit_record
from election_admin.exports import safe_cell
from election_admin.models import DocumentKind, Election
from election_admin.services.documents import document_store

from ..choices import FIGURES, FIRST_ROUND, RUNOFF_ROUND, SheetStatus
from ..counting.inputs import WRITE_IN_PREFIX, is_write_in
from ..models import BallotBox, TallySheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VOID = "__void__"


def _post_labels(lines) -> dict[str, str]:
    labels: dict[str, str] = {}
    try:
        from candidates.choices import Post

        labels.update({value: str(label) for value, label in Post.choices})
    except ImportError:  # pragma: no cover - the candidates app is always installed in this project
        pass
    labels.update({line.post: line.post_label for line in lines})
    return labels


def round_columns(lines, sheets: list[TallySheet], round_number: int) -> list[tuple[str, str]]:
    """``(key, header)`` of the vote columns of one round: the candidates (round 1: every official
    candidate; run-off: those with votes), then anyone else with votes (another post's candidate,
    names written in), then the ballots void for one post."""
    labels = _post_labels(lines)
    names = {line.key: line.name for line in lines}
    seen = {key for sheet in sheets for key in (sheet.votes or {})}
    columns = [
        (line.key, f"{line.post_label} · {line.name}")
        for line in lines
        if round_number == FIRST_ROUND or line.key in seen
    ]
    known = {key for key, _label in columns}
    by_candidate = {line.key.partition("|")[2]: line.name for line in lines}
    for key in sorted(seen - known):
        post, _sep, person = key.partition("|")
        if is_write_in(person):
            header = _("%(post)s · written in: %(name)s") % {
                "post": labels.get(post, post),
                "name": person[len(WRITE_IN_PREFIX) :],
            }
        else:
            header = f"{labels.get(post, post)} · {names.get(key) or by_candidate.get(person, person)}"
        columns.append((key, header))
    void_posts = sorted({post for sheet in sheets for post in (sheet.post_void or {})})
    for post in void_posts:
        columns.append(
            (f"{VOID}|{post}", _("%(post)s · ballots void for this post") % {"post": labels.get(post, post)})
        )
    return columns


def _round_rows(boxes, sheets_by_box: dict, columns) -> list[list]:
    rows, totals = [], [0] * (len(FIGURES) + len(columns))
    for box in boxes:
        sheet = sheets_by_box.get(box.pk)
        agreed = sheet is not None and sheet.status == SheetStatus.AGREED
        values = [getattr(sheet, name) if agreed else None for name in FIGURES]
        for key, _header in columns:
            if not agreed:
                values.append(None)
            elif key.startswith(f"{VOID}|"):
                values.append((sheet.post_void or {}).get(key.partition("|")[2], 0))
            else:
                values.append((sheet.votes or {}).get(key, 0))
        for n, value in enumerate(values):
            totals[n] += value or 0
        status = sheet.get_status_display() if sheet else _("Not entered")
        rows.append([box.label, str(status), *values])
    rows.append([_("Total"), "", *totals])
    return rows


def _write_sheet(sheet, *, meta: list[str], header: list[str], rows: list[list]) -> None:
    row_number = 1
    for line in meta:
        safe_cell(sheet.cell(row=row_number, column=1), line)
        row_number += 1
    for column, label in enumerate(header, start=1):
        cell = sheet.cell(row=row_number, column=column)
        safe_cell(cell, label)
        cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=row_number + 1, column=3)
    for values in rows:
        row_number += 1
        for column, value in enumerate(values, start=1):
            safe_cell(sheet.cell(row=row_number, column=column), value)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 24


def round_title(round_number: int) -> str:
    return _("Round 1") if round_number == FIRST_ROUND else _("Run-off")


def tally_report_workbook(election: Election) -> tuple[bytes, str]:
    """The workbook and its data version (changes whenever any sheet of any round changes)."""
    from ..selectors import vote_lines

    lines = vote_lines(election)
    boxes = list(BallotBox.objects.filter(election=election).order_by("id"))
    sheets = list(TallySheet.objects.filter(election=election).order_by("round_number", "box_id"))
    rounds = [FIRST_ROUND] + ([RUNOFF_ROUND] if any(s.round_number == RUNOFF_ROUND for s in sheets) else [])
    figure_headers = [
        _("Voters who voted"),
        _("Ballots issued"),
        _("Ballots returned"),
        _("Invalid ballots"),
    ]
    made = _("Made %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    workbook = Workbook()
    for index, round_number in enumerate(rounds):
        of_round = [s for s in sheets if s.round_number == round_number]
        agreed = [s for s in of_round if s.status == SheetStatus.AGREED]
        columns = round_columns(lines, agreed, round_number)
        header = [_("Ballot box"), _("Tally sheet"), *figure_headers, *(h for _k, h in columns)]
        rows = _round_rows(boxes, {s.box_id: s for s in of_round}, columns)
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = round_title(round_number)[:31]
        meta = [
            f"{election.region.name} · {election.cycle.name}",
            f"{_('Tally report')} · {round_title(round_number)}",
            made,
        ]
        _write_sheet(sheet, meta=meta, header=header, rows=rows)
    buffer = BytesIO()
    workbook.save(buffer)
    version_source = "|".join(f"{s.pk}:{s.round_number}:{s.version}:{s.status}" for s in sheets)
    return buffer.getvalue(), hashlib.sha256(version_source.encode()).hexdigest()[:16]


@transaction.atomic  # audit_record must run inside the transaction (a real worker is in autocommit)
def tally_report_make(*, actor, election: Election):
    """Store (once per data version) the workbook of the election's tally sheets, every round."""
    content, data_version = tally_report_workbook(election)
    document = document_store(
        actor=actor,
        kind=DocumentKind.TALLY_REPORT,
        region=election.region,
        title=f"{_('Tally report')} · {election.region.name}",
        content=content,
        filename=f"tally-report-{election.region_id}.xlsx",
        content_type=XLSX,
        subject=election,
        data_version=data_version,
    )
    audit_record(
        actor=actor,
        event_type="tally_report.made",
        region_code=election.region_id,
        obj=document,
        after={"election": election.pk, "data_version": data_version},
    )
    return document
