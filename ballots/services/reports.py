"""The tally report (计票汇总表) of one election: per ballot box, its figures and each candidate's votes."""

from __future__ import annotations

import hashlib

from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.exports import workbook_bytes
from election_admin.models import DocumentKind, Election
from election_admin.services.documents import document_store

from ..choices import FIGURES, SheetStatus
from ..models import BallotBox, TallySheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def tally_report_make(*, actor, election: Election):
    """Store (once per data version) the workbook of the election's agreed tally sheets."""
    from ..selectors import vote_lines

    lines = vote_lines(election)
    boxes = list(BallotBox.objects.filter(election=election).order_by("id"))
    sheets = {s.box_id: s for s in TallySheet.objects.filter(election=election).order_by("round_number")}
    header = [_("Ballot box"), _("Tally sheet")] + [
        str(label) for label in (_("Voters who voted"), _("Ballots issued"), _("Ballots returned"))
    ]
    header += [_("Invalid ballots")] + [f"{line.post_label} · {line.name}" for line in lines]
    rows, totals = [], [0] * (len(FIGURES) + len(lines))
    for box in boxes:
        sheet = sheets.get(box.pk)
        agreed = sheet is not None and sheet.status == SheetStatus.AGREED
        values = [getattr(sheet, name) if agreed else None for name in FIGURES]
        values += [sheet.votes.get(line.key, 0) if agreed else None for line in lines]
        for n, value in enumerate(values):
            totals[n] += value or 0
        status = sheet.get_status_display() if sheet else _("Not entered")
        rows.append([box.label, str(status), *values])
    rows.append([_("Total"), "", *totals])
    version_source = "|".join(f"{s.pk}:{s.version}:{s.status}" for s in sheets.values())
    data_version = hashlib.sha256(version_source.encode()).hexdigest()[:16]
    meta = [
        f"{election.region.name} · {election.cycle.name}",
        _("Made %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    ]
    content, _sha = workbook_bytes(title=_("Tally report"), header=header, rows=rows, meta=meta)
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
