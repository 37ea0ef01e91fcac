"""Publishing the lists of election day (公示): the proxy votes and each mobile ballot box's voters.

Each list is a public notice like the roll's: a PDF kept with its SHA-256 and verification code
(``document_store``), one per state of the list, its title and the election day (publishing again
without a change returns the stored notice), and an audit event. Names and 村民小组 only, never ID numbers or phones."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.choices_cycles import Body
from election_admin.models import Document, DocumentKind, Election
from election_admin.models.documents import new_short_code
from election_admin.pdf import chinese_font
from election_admin.services.documents import document_store
from voters.pdf import BODY_TEXT, NoticeContext, village_short_name

from ..choices import StaffRole
from ..models import BallotBox, CountStaff, MobileBoxVoter, Proxy
from ..pdf_lists import MobileLine, ProxyLine, build_mobile_box_list, build_proxy_list
from .common import lock_election, require_entry


def _context(election: Election, title: str, short_code: str) -> NoticeContext:
    region = election.region
    return NoticeContext(
        village=region.full_name(),
        village_short=village_short_name(region.name),
        title=title,
        election_label=str(BODY_TEXT.get(election.body, "")),
        election_day=election.election_day,
        published_on=timezone.localdate(),
        short_code=short_code,
        group_word="居民小组" if region.kind == "community" else "村民小组",
    )


def _publish(
    *,
    actor,
    election: Election,
    kind: str,
    context: NoticeContext,
    content: bytes,
    filename: str,
    subject,
    listed: list,
    summary: dict,
    event: str,
    after: dict,
) -> Document:
    """Keep the notice (one per state of the list and of what it prints around it) and audit the act."""
    version = [listed, context.title, election.election_day]
    document = document_store(
        actor=actor,
        kind=kind,
        region=election.region,
        title=context.title,
        content=content,
        filename=filename,
        content_type="application/pdf",
        subject=subject,
        data_version=hashlib.sha256(json.dumps(version, sort_keys=True, default=str).encode()).hexdigest()[
            :16
        ],
        is_public=True,
        public_summary={
            "公告": context.title,
            **summary,
            "选举日": election.election_day.isoformat() if election.election_day else "",
        },
        font_warning=chinese_font().warning,
        short_code=context.short_code,
    )
    audit_record(
        actor=actor,
        event_type=event,
        region_code=election.region_id,
        obj=document,
        after={**after, "sha256": document.sha256},
    )
    return document


@transaction.atomic
def proxy_list_publish(*, actor, election: Election) -> Document:
    """委托投票名单公告 — the proxy votes filed so far, as a public notice (published again after changes)."""
    require_entry(actor)
    election = lock_election(actor, election)
    if election.body == Body.PARTY_BRANCH:
        raise ValidationError(_("Party branch elections allow no proxy votes."))
    proxies = list(
        Proxy.objects.filter(election=election)
        .select_related("principal", "proxy")
        .order_by("principal__group", "principal__name", "id")
    )
    lines = [
        ProxyLine(p.principal.name, p.principal.group, p.proxy.name, p.relation, p.filed_on) for p in proxies
    ]
    short = village_short_name(election.region.name)
    context = _context(election, f"{short}委托投票名单公告", new_short_code())
    return _publish(
        actor=actor,
        election=election,
        kind=DocumentKind.PROXY_LIST,
        context=context,
        content=build_proxy_list(context, lines, limit=election.cycle.rule_set.proxy_limit),
        filename=f"proxy-list-{election.region_id}.pdf",
        subject=election,
        listed=[[p.principal_id, p.proxy_id, p.relation, p.filed_on] for p in proxies],
        summary={"委托投票人数": f"{len(lines)} 人"},
        event="proxies.published",
        after={"election": election.pk, "proxies": len(lines)},
    )


@transaction.atomic
def mobile_box_list_publish(*, actor, box: BallotBox) -> Document:
    """流动票箱投票选民名单公告 — the voters a mobile box visits and its scrutineers."""
    require_entry(actor)
    election = lock_election(actor, box.election)
    box = BallotBox.objects.get(pk=box.pk, election=election)
    if not box.is_mobile:
        raise ValidationError(_("Only a mobile ballot box has its own list of voters."))
    items = list(
        MobileBoxVoter.objects.filter(box=box).select_related("voter").order_by("voter__group", "voter__name")
    )
    if not items:
        raise ValidationError(_("Nobody is on this mobile box's list yet."))
    scrutineers = list(
        CountStaff.objects.filter(box=box, role=StaffRole.SCRUTINEER)
        .order_by("id")
        .values_list("name", flat=True)
    )
    lines = [MobileLine(i.voter.name, i.voter.gender, i.voter.group, i.reason) for i in items]
    short = village_short_name(election.region.name)
    context = _context(election, f"{short}流动票箱投票选民名单公告（{box.label}）", new_short_code())
    return _publish(
        actor=actor,
        election=election,
        kind=DocumentKind.MOBILE_BOX_LIST,
        context=context,
        content=build_mobile_box_list(context, box.label, lines, scrutineers=scrutineers),
        filename=f"mobile-box-list-{election.region_id}-{box.pk}.pdf",
        subject=box,
        listed=[[i.voter_id, i.reason] for i in items] + [scrutineers],
        summary={"流动票箱投票选民": f"{len(lines)} 人", "监票人": "、".join(scrutineers)},
        event="mobile_box.published",
        after={"box": box.label, "voters": len(lines)},
    )
