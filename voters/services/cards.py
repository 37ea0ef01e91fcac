"""Voter cards (选民证): numbered in group order, each with a short check code ballot-day staff verify."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from audit.services import audit_record
from election_admin.models import Document, DocumentKind, Election
from election_admin.models.documents import SHORT_CODE_ALPHABET
from election_admin.pdf import chinese_font
from election_admin.services.documents import document_store

from ..choices import RollKind
from ..models import Voter
from ..pdf import BODY_TEXT, Card, build_voter_cards, group_sort_key, village_short_name
from .rolls import lock_election, require_election_day, require_roll_editor, roll_for_election

CHECK_CODE_LENGTH = 6


def card_check_code(serial: int, voter_id_hash: str) -> str:
    """Six characters from HMAC(serial, the voter's ID hash), in the look-alike-free alphabet of notices."""
    digest = hmac.new(
        settings.ID_HASH_KEY.encode(), f"card:{serial}:{voter_id_hash}".encode(), hashlib.sha256
    ).digest()
    return "".join(SHORT_CODE_ALPHABET[b % len(SHORT_CODE_ALPHABET)] for b in digest[:CHECK_CODE_LENGTH])


def _assign_serials(ref) -> int:
    """Number the voters who have no card number yet, in group order, after the highest number given."""
    roll = Voter.objects.filter(**ref.filter_kwargs())
    start = roll.aggregate(top=Max("serial"))["top"] or 0
    pending = list(roll.active().filter(serial__isnull=True).only("id", "group", "name"))
    pending.sort(key=lambda v: (group_sort_key(v.group), v.name, v.pk))
    for offset, voter in enumerate(pending, start=1):
        voter.serial = start + offset
    Voter.objects.bulk_update(pending, ["serial"], batch_size=2000)
    return len(pending)


@transaction.atomic
def voter_cards_generate(*, actor, election: Election) -> Document:
    """选民证 — the PDF sheets of cards of everyone on the roll, in group order (stored, audited)."""
    require_roll_editor(actor)
    election = lock_election(actor, election.pk)
    ref = roll_for_election(election)
    election_day = require_election_day(ref)
    numbered = _assign_serials(ref)
    voters = list(
        Voter.objects.active()
        .filter(**ref.filter_kwargs())
        .only("serial", "id_hash", "name", "gender", "group")
    )
    voters.sort(key=lambda v: (group_sort_key(v.group), v.serial))
    cards = [Card(v.serial, card_check_code(v.serial, v.id_hash), v.name, v.gender, v.group) for v in voters]
    label = BODY_TEXT["party_branch"] if ref.roll == RollKind.PARTY else BODY_TEXT[ref.election.body]
    content = build_voter_cards(
        village=village_short_name(election.region.name),
        election_label=label,
        election_day=election_day,
        cards=cards,
    )
    version = hashlib.sha256(
        "|".join(f"{c.serial}:{c.code}:{c.name}:{c.group}" for c in cards).encode()
    ).hexdigest()
    document = document_store(
        actor=actor,
        kind=DocumentKind.VOTER_CARDS,
        region=election.region,
        title=f"{election.region.name}选民证（{len(cards)} 张）",
        content=content,
        filename=f"voter-cards-{election.region_id}.pdf",
        content_type="application/pdf",
        subject=election,
        data_version=f"{ref.roll}-{version[:16]}",
        font_warning=chinese_font().warning,
    )
    audit_record(
        actor=actor,
        event_type="roll.cards_printed",
        region_code=election.region_id,
        obj=election,
        after={
            "roll": ref.roll,
            "cards": len(cards),
            "newly_numbered": numbered,
            "document_sha256": document.sha256,
        },
    )
    return document


def voter_cards_job(*, job_id: int, election_id: int, user_id: int) -> Document:
    """The Celery side of 选民证: make (or find) the cards and point the job at their download."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from election_admin.services import jobs as job_services

    actor = get_user_model().objects.get(pk=user_id)
    election = Election.objects.get(pk=election_id)
    document = voter_cards_generate(actor=actor, election=election)
    job_services.job_succeeded(
        job_id=job_id, result_url=reverse("document_download", args=[document.pk]), message=document.title
    )
    return document


def card_check(*, user, region_id: str, serial: int, code: str) -> Voter | None:
    """Ballot-day check of a card: the voter it belongs to if number and code match and the voter is on the
    roll (only within the user's area); None otherwise."""
    voters = Voter.objects.visible_to(user).filter(region_id=region_id, serial=serial).active()
    normalized = code.strip().upper().replace(" ", "")
    for voter in voters:
        if hmac.compare_digest(card_check_code(voter.serial, voter.id_hash), normalized):
            return voter
    return None


__all__ = ["card_check", "card_check_code", "voter_cards_generate"]
