"""Tally entry (计票单录入): every box's sheet is entered twice by two different people; matching
entries make the sheet agreed, differences go side by side to a supervisor who resolves them."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record

from ..choices import FIGURES, FIRST_ROUND, SheetStatus
from ..models import BallotBox, TallyEntry, TallySheet
from .common import lock_election, require_entry, require_supervisor
from .election_day import mobile_box_ready

FIGURE_LABELS = {
    "voted": "voters who voted",
    "issued": "ballots issued",
    "returned": "ballots returned",
    "invalid": "invalid ballots",
}


class TallyConflict(ValidationError):
    """The entry changed since the page was loaded (another tab or device saved first)."""

    def __init__(self, message, *, current: TallyEntry):
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Difference:
    """One line where the two entries of a sheet differ."""

    key: str
    first: int | None
    second: int | None


def vote_key(post: str, person: str) -> str:
    return f"{post}|{person}"


def _clean_votes(votes: dict) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for key, value in (votes or {}).items():
        if value in (None, ""):
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(_("Votes must be whole numbers, 0 or more (%(key)s).") % {"key": key})
        post, sep, person = str(key).partition("|")
        if not sep or not post or not person:
            raise ValidationError(_("Unknown line on the tally sheet: %(key)s.") % {"key": key})
        if value:
            cleaned[key] = value
    return cleaned


def _clean_figures(figures: dict) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    missing = [name for name in FIGURES if figures.get(name) in (None, "")]
    if missing:
        raise ValidationError({name: _("Enter this figure from the sheet (0 if none).") for name in missing})
    for name in FIGURES:
        value = figures[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError({name: _("Enter a whole number, 0 or more.")})
        cleaned[name] = value
    if cleaned["invalid"] > cleaned["returned"]:
        raise ValidationError({"invalid": _("More invalid ballots than ballots returned.")})
    return cleaned


def _sheet_locked(box: BallotBox, round_number: int) -> TallySheet:
    sheet = TallySheet.objects.filter(box=box, round_number=round_number).first()
    if sheet is None:
        try:
            with transaction.atomic():
                TallySheet.objects.create(election_id=box.election_id, box=box, round_number=round_number)
        except IntegrityError:
            pass  # created by the other entrant at the same moment
    return TallySheet.objects.select_for_update().get(box=box, round_number=round_number)


def entry_values(entry) -> dict[str, int | None]:
    """The figures and votes of an entry (or sheet) as one flat mapping."""
    values: dict[str, int | None] = {name: getattr(entry, name) for name in FIGURES}
    values.update(entry.votes or {})
    return values


def tally_differences(first, second) -> list[Difference]:
    """Lines where two entries differ, figures first then votes in key order."""
    a, b = entry_values(first), entry_values(second)
    keys = list(FIGURES) + sorted((set(a) | set(b)) - set(FIGURES))
    result = []
    for key in keys:
        left, right = a.get(key), b.get(key)
        if key not in FIGURES:
            left, right = left or 0, right or 0
        if left != right:
            result.append(Difference(key=key, first=a.get(key), second=b.get(key)))
    return result


def _agree(sheet: TallySheet, values: TallyEntry | dict) -> None:
    source = values if isinstance(values, dict) else {**entry_values(values)}
    for name in FIGURES:
        setattr(sheet, name, source[name])
    sheet.votes = {k: v for k, v in source.items() if k not in FIGURES and v}
    sheet.status = SheetStatus.AGREED


@transaction.atomic
def tally_entry_save(
    *,
    actor,
    box: BallotBox,
    figures: dict,
    votes: dict,
    expected_version: int | None = None,
    round_number: int = FIRST_ROUND,
) -> TallyEntry:
    """Save one person's entry of a box's tally sheet (录入计票单).

    The first save of a person creates their entry; a later save must carry the entry's version
    (``expected_version``) — if someone saved in between, ``TallyConflict`` is raised with the stored
    entry so nothing is lost. The second person's entry is compared with the first: equal → the sheet
    is agreed; different → the sheet waits for a supervisor."""
    require_entry(actor)
    election = lock_election(actor, box.election)
    box = BallotBox.objects.get(pk=box.pk, election=election)
    if not mobile_box_ready(box):
        raise ValidationError(_("A mobile ballot box needs at least three scrutineers before its count."))
    if box.live_boards.filter(round_number=round_number).exists():  # counted on the board (services/board.py)
        raise ValidationError(
            _("This box is counted on the live count board; its tally sheet comes from there.")
        )
    clean_figures = _clean_figures(figures)
    clean_votes = _clean_votes(votes)
    sheet = _sheet_locked(box, round_number)
    if sheet.status == SheetStatus.AGREED:
        raise ValidationError(_("This tally sheet is already agreed; it can no longer be changed."))
    entries = list(sheet.entries.select_for_update().order_by("id"))
    mine = next((e for e in entries if e.entered_by_id == actor.pk), None)
    if mine is None:
        if len(entries) >= 2:
            raise ValidationError(_("This sheet has been entered twice already."))
        mine = TallyEntry(sheet=sheet, entered_by=actor)
        before = None
    else:
        if expected_version is None or expected_version != mine.version:
            raise TallyConflict(
                _(
                    "Your entry of this sheet was saved elsewhere after you opened it. Compare and save again."
                ),
                current=mine,
            )
        before = entry_values(mine)
        mine.version += 1
    for name, value in clean_figures.items():
        setattr(mine, name, value)
    mine.votes = clean_votes
    mine.entered_at = timezone.now()
    mine.full_clean()
    mine.save()
    others = [e for e in entries if e.pk != mine.pk]
    if not others:
        sheet.status = SheetStatus.ONE_ENTRY
    elif tally_differences(others[0], mine):
        sheet.status = SheetStatus.MISMATCH
    else:
        _agree(sheet, mine)
    sheet.version += 1
    sheet.full_clean()
    sheet.save()
    audit_record(
        actor=actor,
        event_type="tally.entered",
        region_code=election.region_id,
        obj=sheet,
        before=before,
        after={**entry_values(mine), "entry": mine.version, "sheet_status": sheet.status},
    )
    return mine


@transaction.atomic
def tally_resolve(*, actor, sheet: TallySheet, figures: dict, votes: dict, note: str = "") -> TallySheet:
    """Resolve the differences of a sheet's two entries (核对): township staff or above who entered
    neither, after checking the paper sheet; the sheet becomes agreed with the figures given."""
    require_supervisor(actor)
    election = lock_election(actor, sheet.election)
    sheet = TallySheet.objects.select_for_update().get(pk=sheet.pk, election=election)
    if sheet.status != SheetStatus.MISMATCH:
        raise ValidationError(_("Only a sheet whose two entries differ is resolved."))
    if sheet.entries.filter(entered_by=actor).exists():
        raise PermissionDenied(_("You entered this sheet; someone else must resolve it."))
    if not note.strip():
        raise ValidationError(
            {"note": _("Say how the difference was resolved (e.g. checked the paper sheet).")}
        )
    values = {**_clean_figures(figures), **_clean_votes(votes)}
    before = [entry_values(e) for e in sheet.entries.order_by("id")]
    _agree(sheet, values)
    sheet.resolved_by = actor
    sheet.resolved_at = timezone.now()
    sheet.resolution_note = note.strip()
    sheet.version += 1
    sheet.full_clean()
    sheet.save()
    audit_record(
        actor=actor,
        event_type="tally.resolved",
        region_code=election.region_id,
        obj=sheet,
        before={"entries": before},
        after={**entry_values(sheet), "note": sheet.resolution_note},
    )
    return sheet
