"""Writes of the returns (逐级上报): submit (or re-submit) a region's frozen figures, send a return back with a
comment, accept it. Each checks the actor's role and area, locks the rows it changes, writes the history
entry and the audit event in the same transaction, and does nothing a second time on a double click."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.models import Cycle, Region

from .choices import COMMENT_MAX, RETURN_LEVELS, ReturnAction, ReturnStatus
from .figures import read_now
from .models import Return, ReturnDueDate, ReturnEvent
from .selectors import children_states, may_review, may_set_due_dates, may_submit, region_reports_in_cycle
from .snapshot import figures_sha256


def _status_label(status: str) -> str:
    return str(ReturnStatus(status).label) if status else _("Not reported")


def _children_refs(cycle: Cycle, region: Region) -> tuple[list[dict], list[dict]]:
    """(every region below with its current return, those whose return is not accepted)."""
    refs, missing = [], []
    for state in children_states(cycle, region):
        current = state.current
        ref = {
            "region": state.region.code,
            "name": state.region.name,
            "return_id": current.pk if current else None,
            "version": current.version if current else None,
            "status": current.status if current else "",
        }
        refs.append(ref)
        if not state.is_accepted:
            missing.append(ref)
    return refs, missing


def _missing_message(missing: list[dict]) -> str:
    names = "、".join(f"{m['name']}（{_status_label(m['status'])}）" for m in missing)
    return _(
        "The returns of %(names)s are not accepted yet. Wait until they are, or explain below why you "
        "submit without them."
    ) % {"names": names}


def _clean_text(value: str, field: str, *, required: bool, message: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message})
    if len(value) > COMMENT_MAX:
        raise ValidationError({field: _("At most %(max)s characters.") % {"max": COMMENT_MAX}})
    return value


@transaction.atomic
def return_submit(
    *, actor, cycle: Cycle, region: Region, note: str = "", missing_explanation: str = ""
) -> tuple[Return, bool]:
    """上报 — submit ``region``'s return for ``cycle``: today's figures, frozen, as a new version (the first
    submission or a re-submission after a send-back or a change of the figures). Returns (the current
    return, whether a new version was made): submitting figures identical to a return still awaiting review
    or already accepted makes nothing new.

    A county (or city) may submit while returns below it are not accepted only with an explanation, which
    the reviewer sees with the list of what was missing."""
    if not Cycle.objects.visible_to(actor).filter(pk=cycle.pk).exists():
        raise PermissionDenied(_("This cycle is outside your area."))
    if not may_submit(actor, region):
        raise PermissionDenied(_("Only the region's own office submits its return."))
    if not region_reports_in_cycle(region, cycle):
        raise ValidationError(_("This region does not report in this cycle."))
    note = _clean_text(note, "note", required=False)
    current = Return.objects.select_for_update().filter(cycle=cycle, region=region, is_current=True).first()
    figures, labels, figures_at = read_now(region, cycle)
    digest = figures_sha256(figures)
    refs, missing = _children_refs(cycle, region)
    if (
        current is not None
        and current.status in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED)
        and current.figures_sha256 == digest
        and current.children == refs
    ):
        return current, False
    explanation = ""
    if missing:
        explanation = _clean_text(
            missing_explanation, "missing_explanation", required=True, message=_missing_message(missing)
        )
    now = timezone.now()
    version = (Return.objects.filter(cycle=cycle, region=region).aggregate(n=Max("version"))["n"] or 0) + 1
    if current is not None:
        current.is_current = False
        if current.status == ReturnStatus.SUBMITTED:
            current.status = ReturnStatus.SUPERSEDED
        current.save(update_fields=["is_current", "status"])
    new = Return(
        cycle=cycle,
        region=region,
        version=version,
        is_current=True,
        status=ReturnStatus.SUBMITTED,
        figures=figures,
        figure_labels=labels,
        figures_sha256=digest,
        figures_at=figures_at,
        children=refs,
        missing=missing,
        missing_explanation=explanation,
        note=note,
        submitted_by=actor,
        submitted_at=now,
    )
    new.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            new.save()
    except IntegrityError as error:  # submitted at the same moment (a double click on the first submission)
        other = Return.objects.filter(cycle=cycle, region=region, is_current=True).first()
        if other is not None and other.figures_sha256 == digest and other.children == refs:
            return other, False
        raise ValidationError(
            _("This return was submitted at the same moment from another window; reload the page.")
        ) from error
    action = ReturnAction.SUBMITTED if version == 1 else ReturnAction.RESUBMITTED
    ReturnEvent.objects.create(return_obj=new, action=action, actor=actor, at=now, comment=note)
    audit_record(
        actor=actor,
        event_type=f"return.{action}",
        region_code=region.code,
        obj=new,
        before={"version": current.version, "status": current.status} if current else None,
        after={
            "cycle": cycle.pk,
            "version": version,
            "figures_sha256": digest,
            "children": [[r["region"], r["version"], r["status"]] for r in refs],
            "missing": [m["region"] for m in missing],
        },
    )
    return new, True


def _lock_for_review(actor, return_obj: Return) -> Return:
    locked = (
        Return.objects.visible_to(actor)
        .select_for_update()
        .select_related("region", "cycle")
        .filter(pk=return_obj.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("This return is outside your area."))
    if not may_review(actor, locked.region):
        raise PermissionDenied(_("Only the bureau of the region above reviews a return."))
    return locked


def _review(actor, locked: Return, status: str, comment: str) -> Return:
    now = timezone.now()
    before = {"status": locked.status}
    locked.status, locked.reviewed_by, locked.reviewed_at = status, actor, now
    locked.review_comment = comment
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    ReturnEvent.objects.create(return_obj=locked, action=status, actor=actor, at=now, comment=comment)
    audit_record(
        actor=actor,
        event_type=f"return.{status}",
        region_code=locked.region_id,
        obj=locked,
        before=before,
        after={"status": status, "version": locked.version, "comment": comment},
    )
    return locked


def _require_open(locked: Return, done_status: str) -> bool:
    """True when the review was already done (a double click); a ValidationError when the version can no
    longer be reviewed."""
    if locked.status == done_status and locked.is_current:
        return True
    if not locked.is_open_for_review:
        raise ValidationError(
            _("Version %(version)s is no longer awaiting review (%(status)s); open the current version.")
            % {"version": locked.version, "status": _status_label(locked.status)}
        )
    return False


@transaction.atomic
def return_send_back(*, actor, return_obj: Return, comment: str) -> Return:
    """退回 — send a submitted return back to the region below, saying what to correct (required)."""
    locked = _lock_for_review(actor, return_obj)
    comment = _clean_text(
        comment, "comment", required=True, message=_("Say what must be corrected before it is sent back.")
    )
    if _require_open(locked, ReturnStatus.SENT_BACK):
        return locked
    return _review(actor, locked, ReturnStatus.SENT_BACK, comment)


@transaction.atomic
def return_accept(*, actor, return_obj: Return, comment: str = "") -> Return:
    """审核通过 — accept a submitted return as it was submitted."""
    locked = _lock_for_review(actor, return_obj)
    comment = _clean_text(comment, "comment", required=False)
    if _require_open(locked, ReturnStatus.ACCEPTED):
        return locked
    return _review(actor, locked, ReturnStatus.ACCEPTED, comment)


@transaction.atomic
def return_due_dates_set(*, actor, cycle: Cycle, dates: dict[int, date | None]) -> dict[int, date]:
    """上报时限 — set (or clear, with None) by when townships, counties and cities submit their returns in
    ``cycle``. Each level's date must not be before the date of the level below it."""
    if not may_set_due_dates(actor, cycle):
        raise PermissionDenied(_("Only the bureau of the cycle's area sets the due dates of the returns."))
    ordered = [(level, dates.get(level)) for level in RETURN_LEVELS]
    errors = {}
    for (_lower, lower_on), (upper, upper_on) in zip(ordered, ordered[1:], strict=False):
        if lower_on and upper_on and upper_on < lower_on:
            errors[f"due_{upper}"] = _("Not before the date of the level below (%(date)s).") % {
                "date": lower_on.isoformat()
            }
    if errors:
        raise ValidationError(errors)
    existing = {d.level: d for d in ReturnDueDate.objects.select_for_update().filter(cycle=cycle)}
    before = {str(level): d.due_on for level, d in existing.items()}
    for level, due_on in ordered:
        row = existing.get(level)
        if due_on is None:
            if row is not None:
                row.delete()
            continue
        if row is None:
            row = ReturnDueDate(cycle=cycle, level=level, due_on=due_on, updated_by=actor)
        row.due_on, row.updated_by = due_on, actor
        row.full_clean(validate_unique=False, validate_constraints=False)
        row.save()
    after = {str(level): due_on for level, due_on in ordered if due_on}
    if before != after:
        audit_record(
            actor=actor,
            event_type="return.due_dates_set",
            region_code=cycle.region_id,
            object_type="election_admin.cycle",
            object_id=str(cycle.pk),
            object_repr=cycle.name,
            before=before,
            after=after,
        )
    return {level: due_on for level, due_on in ordered if due_on}
