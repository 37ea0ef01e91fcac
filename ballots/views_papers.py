"""选票样张 and 计票单 downloads: the printable ballot paper of an election and the blank count sheet of a
ballot box, for anyone signed in who may see them (another area's election or box: 404). Reads only, made
in the request (a page or a few), so no job, stored document or audit event."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .models import BallotBox
from .pdf_papers import ballot_paper_of, build_ballot_paper, build_count_sheet, count_sheet_of
from .views import _election

PDF = "application/pdf"


def _attachment(content: bytes, filename: str, fallback: str) -> HttpResponse:
    """The PDF as a download under its Chinese file name (RFC 6266), with an ASCII name for old clients."""
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


@login_required
@require_GET
def ballot_paper(request, election_id: int):
    """选票样张 of the election's current counting round (round 1, or the run-off list)."""
    election = _election(request, election_id)
    paper, _round = ballot_paper_of(election)
    return _attachment(build_ballot_paper(paper), f"{paper.title}样张.pdf", f"ballot-paper-{election.pk}.pdf")


@login_required
@require_GET
def count_sheet(request, box_id: int):
    """计票单 of one ballot box, blank, for the current counting round."""
    box = get_object_or_404(
        BallotBox.objects.visible_to(request.user).select_related(
            "venue", "election__region", "election__cycle__rule_set"
        ),
        pk=box_id,
    )
    sheet, _round = count_sheet_of(request.user, box)
    return _attachment(
        build_count_sheet(sheet), f"{sheet.title}-{box.label}.pdf", f"count-sheet-{box.pk}.pdf"
    )
