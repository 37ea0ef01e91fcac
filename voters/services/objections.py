"""Objections to a published roll (申诉): filed within the window, decided within the answer time, the
decision applied to the roll in the same transaction and posted as a decision notice."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.models import DocumentKind, Election
from election_admin.models.documents import new_short_code
from election_admin.pdf import chinese_font
from election_admin.services.documents import document_store

from ..choices import Category, ObjectionDecision, ObjectionKind
from ..idnumber import IdProblem, parse_id
from ..models import Objection, Voter
from ..pdf import build_objection_decision, village_short_name
from ..pii import decrypt, encrypt, id_hash, mask_id
from .publication import _context, objection_window
from .registration import VOTING_AGE, voter_register, voter_strike, voter_update
from .rolls import lock_election, require_roll_editor, roll_for_election

CORRECTABLE_FIELDS = ("name", "group", "ethnicity", "address", "category", "approval_reference")


@transaction.atomic
def objection_file(
    *,
    actor,
    election: Election,
    kind: str,
    filed_by: str,
    grounds: str,
    filed_on: date | None = None,
    voter: Voter | None = None,
    proposed_name: str = "",
    proposed_id_number: str = "",
    proposed_group: str = "",
    proposed_category: str = Category.RESIDENT,
    proposed_approval_reference: str = "",
    corrections: dict | None = None,
    today: date | None = None,
) -> Objection:
    """受理申诉 — record an objection received within the window after publication."""
    require_roll_editor(actor)
    today = today or timezone.localdate()
    filed_on = filed_on or today
    election = lock_election(actor, election.pk)
    ref = roll_for_election(election)
    window = objection_window(ref)
    if window is None:
        raise ValidationError(
            _("Objections are filed against a published roll; this roll is not published yet.")
        )
    if filed_on > today:
        raise ValidationError({"filed_on": _("The date received cannot be in the future.")})
    if not window[0] <= filed_on <= window[1]:
        raise ValidationError(
            {
                "filed_on": _(
                    "Objections are received from %(start)s to %(end)s (within %(days)s days of publication); "
                    "%(day)s is outside that window."
                )
                % {
                    "start": window[0].isoformat(),
                    "end": window[1].isoformat(),
                    "days": (window[1] - window[0]).days,
                    "day": filed_on.isoformat(),
                }
            }
        )
    if kind not in ObjectionKind.values:
        raise ValidationError({"kind": _("Choose what the objection is about.")})
    if not filed_by.strip():
        raise ValidationError({"filed_by": _("Enter who filed the objection.")})
    if not grounds.strip():
        raise ValidationError({"grounds": _("Enter the grounds of the objection.")})
    objection = Objection(
        **ref.filter_kwargs(),
        election=ref.election,
        kind=kind,
        filed_by=filed_by.strip(),
        filed_on=filed_on,
        grounds=grounds.strip(),
        due_on=filed_on + timedelta(days=ref.election.cycle.rule_set.objection_answer_days),
        created_by=actor,
    )
    if kind == ObjectionKind.EXCLUSION:
        parsed = parse_id(proposed_id_number or "")
        if isinstance(parsed, IdProblem):
            raise ValidationError({"proposed_id_number": parsed.message})
        if not proposed_name.strip():
            raise ValidationError({"proposed_name": _("Enter the name of the person to add.")})
        objection.proposed_name = proposed_name.strip()
        objection.proposed_id_hash = id_hash(parsed.number)
        objection.proposed_id_masked = mask_id(parsed.number)
        objection.proposed_id_encrypted = encrypt(parsed.number)
        objection.proposed_group = proposed_group.strip()
        objection.proposed_category = proposed_category
        objection.proposed_approval_reference = proposed_approval_reference.strip()
    else:
        if voter is None:
            raise ValidationError({"voter": _("Choose the voter the objection is about.")})
        found = Voter.objects.visible_to(actor).filter(pk=voter.pk, **ref.filter_kwargs()).first()
        if found is None:
            raise ValidationError({"voter": _("This voter is not on this roll.")})
        objection.voter = found
        if kind == ObjectionKind.ERROR:
            unknown = set(corrections or {}) - set(CORRECTABLE_FIELDS)
            if unknown or not corrections:
                raise ValidationError(
                    {"corrections": _("Say which details are wrong and what they should be.")}
                )
            objection.corrections = {k: str(v).strip() for k, v in corrections.items()}
    objection.full_clean()
    objection.save()
    audit_record(
        actor=actor,
        event_type="objection.filed",
        region_code=objection.region_id,
        obj=objection,
        after={
            "kind": kind,
            "filed_by": objection.filed_by,
            "filed_on": filed_on,
            "due_on": objection.due_on,
            "subject": objection.voter.id_masked if objection.voter_id else objection.proposed_id_masked,
        },
    )
    return objection


def _apply(actor, objection: Objection, election: Election) -> str:
    """Change the roll as an upheld objection asks; answers the change in words for the notice."""
    reason = _("objection of %(by)s received %(on)s upheld") % {
        "by": objection.filed_by,
        "on": objection.filed_on.isoformat(),
    }
    if objection.kind == ObjectionKind.INCLUSION:
        voter_strike(actor=actor, voter=objection.voter, reason=reason, via_objection=True)
        return f"将{objection.voter.name}从选民名单中除名"
    if objection.kind == ObjectionKind.EXCLUSION:
        voter = voter_register(
            actor=actor,
            election=election,
            name=objection.proposed_name,
            id_number=decrypt(objection.proposed_id_encrypted),
            group=objection.proposed_group,
            category=objection.proposed_category,
            approval_reference=objection.proposed_approval_reference,
            notes=str(reason),
            correction_reason=str(reason),
            source="objection",
        )
        return f"将{voter.name}补充登记为选民"
    voter_update(actor=actor, voter=objection.voter, correction_reason=str(reason), **objection.corrections)
    return f"更正{objection.voter.name}的登记信息"


@transaction.atomic
def objection_decide(
    *, actor, objection: Objection, decision: str, decision_text: str, today: date | None = None
) -> Objection:
    """作出处理决定 — decide an objection; if upheld the roll changes in this same transaction, and the
    decision notice is stored. Late decisions are allowed (and stay visible as late) but never skipped."""
    require_roll_editor(actor)
    today = today or timezone.localdate()
    election = lock_election(actor, objection.election_id)
    objection = Objection.objects.visible_to(actor).select_for_update().filter(pk=objection.pk).first()
    if objection is None:
        raise ValidationError(_("This objection does not exist or is outside your area."))
    if objection.is_decided:
        raise ValidationError(_("This objection has already been decided."))
    if decision not in ObjectionDecision.values:
        raise ValidationError({"decision": _("Choose upheld or rejected.")})
    if not decision_text.strip():
        raise ValidationError({"decision_text": _("Write the decision and its reasons.")})
    change = ""
    if decision == ObjectionDecision.UPHELD:
        change = _apply(actor, objection, election)
    objection.decision, objection.decision_text = decision, decision_text.strip()
    objection.decided_on, objection.decided_by = today, actor
    ref = roll_for_election(election)
    short_code = new_short_code()
    context = _context(
        ref,
        title=f"{village_short_name(election.region.name)}选民名单申诉处理决定",
        published_on=today,
        short_code=short_code,
    )
    subject = (
        f"{objection.voter.name}（{objection.voter.group or '未分组'}）"
        if objection.voter_id
        else f"{objection.proposed_name}（{objection.proposed_group or '未分组'}）"
    )
    content = build_objection_decision(
        context,
        filed_by=objection.filed_by,
        filed_on=objection.filed_on,
        kind=str(ObjectionKind(objection.kind).label),
        subject=subject,
        grounds=objection.grounds,
        decision=("申诉成立，" + change) if change else "申诉不成立，维持原登记",
        text=objection.decision_text,
    )
    document = document_store(
        actor=actor,
        kind=DocumentKind.OBJECTION_DECISION,
        region=election.region,
        title=context.title,
        content=content,
        filename=f"objection-decision-{objection.pk}.pdf",
        content_type="application/pdf",
        subject=objection,
        data_version=f"decision-{objection.pk}",
        is_public=True,
        public_summary={
            "公告": context.title,
            "处理结果": "申诉成立" if change else "申诉不成立",
            "决定日期": today.isoformat(),
        },
        font_warning=chinese_font().warning,
        short_code=short_code,
    )
    objection.decision_document = document
    objection.full_clean()
    objection.save()
    audit_record(
        actor=actor,
        event_type="objection.decided",
        region_code=objection.region_id,
        obj=objection,
        after={
            "decision": decision,
            "decided_on": today,
            "late": today > objection.due_on,
            "change": change,
            "document_sha256": document.sha256,
        },
    )
    return objection


__all__ = ["VOTING_AGE", "objection_decide", "objection_file"]
