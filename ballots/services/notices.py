"""The result notice (选举结果公告) of a certified result: stored once per result version."""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.choices_cycles import Body
from election_admin.models import Document, DocumentKind
from election_admin.models.documents import new_short_code
from election_admin.pdf import chinese_font
from voters.pdf import BODY_TEXT, NoticeContext, village_short_name

from ..models import RoundResult
from ..pdf import ResultFigures, build_result_notice, winner_rows


def _data_version(result: RoundResult) -> str:
    return f"result-{result.pk}-v{result.version}"


def result_notice_existing(result: RoundResult) -> Document | None:
    return Document.objects.filter(
        kind=DocumentKind.RESULT_NOTICE,
        subject_type=result._meta.label_lower,
        subject_id=str(result.pk),
        data_version=_data_version(result),
    ).first()


@transaction.atomic
def result_notice_generate(*, actor, result: RoundResult) -> Document:
    """Make and store the result notice of a certified result (idempotent: one per version)."""
    result = RoundResult.objects.select_related("election__region", "election__cycle__rule_set").get(
        pk=result.pk
    )
    if not result.is_certified:
        raise ValidationError(_("A result notice is made only for certified results."))
    existing = result_notice_existing(result)
    if existing is not None:
        return existing
    return result_notice_store(actor=actor, result=result)


@dataclass(frozen=True)
class NoticeDraft:
    """A result notice built (its PDF made, its verification code printed on it) and not stored yet."""

    result: RoundResult
    title: str
    content: bytes
    short_code: str
    public_summary: dict

    @property
    def filename(self) -> str:
        result = self.result
        return f"result-notice-{result.election.region_id}-{result.round_number}-v{result.version}.pdf"


def result_notice_draft(result: RoundResult) -> NoticeDraft:
    """Build the notice of a certified result already read with its election, region, cycle and rule set."""
    election = result.election
    totals, outcome = result.totals, result.outcome
    decision = outcome["decision"]
    village = election.region.name
    short = village_short_name(village)
    is_community = election.body == Body.RESIDENTS_COMMITTEE
    label = BODY_TEXT.get(election.body, "")
    title = f"{short}{label}{'另行选举' if result.round_number == 2 else '选举'}结果公告"
    short_code = new_short_code()
    day = (result.certified_at or timezone.now()).date()
    context = NoticeContext(
        village=village,
        village_short=short,
        title=title,
        election_label=label,
        election_day=election.election_day or day,
        published_on=timezone.localtime(result.certified_at).date() if result.certified_at else day,
        short_code=short_code,
        group_word="居民小组" if is_community else "村民小组",
    )
    comparator = election.cycle.rule_set.values().get("ballots_comparator", "voted")
    figures = ResultFigures(
        registered=totals["registered"],
        voted=totals["voted"],
        issued=totals["issued"],
        returned=totals["returned"],
        valid=totals["valid"],
        invalid=totals["invalid"],
        is_valid=decision["validity"]["status"] == "valid",
        comparator_text="发出选票数" if comparator == "issued" else "参加投票人数",
        unfilled=sum(p["unfilled"] for p in decision["posts"]),
    )
    winners = winner_rows(outcome)
    content = build_result_notice(
        context, election.body, figures, winners, people_word="居民" if is_community else "村民"
    )
    return NoticeDraft(
        result=result,
        title=title,
        content=content,
        short_code=short_code,
        public_summary={
            "公告": title,
            "登记选民": f"{figures.registered} 人",
            "参加投票": f"{figures.voted} 人",
            "当选": "、".join(f"{w.post}{w.name}" for w in winners),
            "公布日期": context.published_on.isoformat(),
        },
    )


def _draft_store(*, actor, draft: NoticeDraft) -> Document:
    from election_admin.services.documents import document_store

    result = draft.result
    return document_store(
        actor=actor,
        kind=DocumentKind.RESULT_NOTICE,
        region=result.election.region,
        title=draft.title,
        content=draft.content,
        filename=draft.filename,
        content_type="application/pdf",
        subject=result,
        data_version=_data_version(result),
        is_public=True,
        public_summary=draft.public_summary,
        font_warning=chinese_font().warning,
        short_code=draft.short_code,
    )


def result_notice_store(*, actor, result: RoundResult) -> Document:
    """Build and store the notice of a certified result already read with its election, region, cycle and
    rule set, known to have no notice yet. Call it inside a transaction; ``document_store`` still returns a
    notice another worker stored meanwhile."""
    return _draft_store(actor=actor, draft=result_notice_draft(result))


def result_notices_store_many(results: list[RoundResult]) -> dict[int, Document]:
    """Build and store the notices of several certified results (read with their election, region, cycle
    and rule set, known to have none yet) as the background worker: what ``document_store`` keeps for each
    (file, SHA-256, row, ``document.generated`` audit event), with the rows written in one INSERT instead of
    a look-up and two savepoints each. If another worker stored one of them meanwhile, the whole group goes
    through ``document_store`` one by one, which keeps the notice already stored. Call it inside a
    transaction (the batch of an area: ten per transaction). Answers the documents by result id."""
    drafts = [result_notice_draft(result) for result in results]
    warning = chinese_font().warning
    documents = []
    for draft in drafts:
        result = draft.result
        document = Document(
            kind=DocumentKind.RESULT_NOTICE,
            title=draft.title[:200],
            region=result.election.region,
            subject_type=result._meta.label_lower,
            subject_id=str(result.pk),
            data_version=_data_version(result),
            filename=draft.filename,
            content_type="application/pdf",
            size=len(draft.content),
            sha256=hashlib.sha256(draft.content).hexdigest(),
            short_code=draft.short_code,
            is_public=True,
            public_summary=draft.public_summary,
            font_warning=warning,
            created_by=None,
        )
        document.file.save(draft.filename, ContentFile(draft.content), save=False)
        documents.append(document)
    try:
        with transaction.atomic():
            Document.objects.bulk_create(documents)
    except IntegrityError:
        for document in documents:
            document.file.delete(save=False)
        return {draft.result.pk: _draft_store(actor=None, draft=draft) for draft in drafts}
    for document in documents:
        audit_record(
            actor=None,
            actor_label="celery",
            event_type="document.generated",
            region_code=document.region.code,
            obj=document,
            after={
                "kind": document.kind,
                "sha256": document.sha256,
                "size": document.size,
                "data_version": document.data_version,
            },
        )
    return {int(document.subject_id): document for document in documents}


def certificates_existing(result: RoundResult) -> Document | None:
    return Document.objects.filter(
        kind=DocumentKind.CERTIFICATE,
        subject_type=result._meta.label_lower,
        subject_id=str(result.pk),
        data_version=f"certificates-{result.pk}-v{result.version}",
    ).first()


@transaction.atomic
def certificates_generate(*, actor, result: RoundResult) -> Document:
    """Issue the certificates of election (当选证书) of a certified result: county bureau or above; one
    page per person elected, stored once per result version."""
    from election_admin.choices import Role
    from election_admin.services.documents import document_store

    from ..pdf import POST_TEXT, CertificatePage, build_certificates

    if not getattr(actor, "is_authenticated", False) or actor.role not in (
        Role.COUNTY_BUREAU,
        Role.SYSTEM_ADMIN,
    ):
        raise PermissionDenied(_("Certificates of election are issued by the county civil-affairs bureau."))
    result = (
        RoundResult.objects.visible_to(actor).select_related("election__region__parent").get(pk=result.pk)
    )
    if not result.is_certified:
        raise ValidationError(_("Certificates are issued for certified results only."))
    existing = certificates_existing(result)
    if existing is not None:
        return existing
    election = result.election
    elected = result.outcome["decision"].get("elected", [])
    if not elected:
        raise ValidationError(_("Nobody was elected in this round."))
    village = election.region.name
    label = BODY_TEXT.get(election.body, "")
    day = election.election_day or timezone.localdate()
    pages = [
        CertificatePage(
            name=item["name"],
            text=f"在{day.year}年{day.month}月{day.day}日举行的{village}{label}选举中，您当选为"
            f"{village_short_name(village)}{label}{POST_TEXT.get(item['post'], item['post'])}。",
        )
        for item in elected
    ]
    county = election.region.parent
    while county is not None and len(county.code) > 6:
        county = county.parent
    issuer = f"{county.name}民政局" if county is not None else "县级人民政府民政部门"
    short_code = new_short_code()
    today = timezone.localdate()
    content = build_certificates(pages, issuer=issuer, issued_on=today, short_code=short_code)
    return document_store(
        actor=actor,
        kind=DocumentKind.CERTIFICATE,
        region=election.region,
        title=f"{village}{label}当选证书",
        content=content,
        filename=f"certificates-{election.region_id}-{result.round_number}-v{result.version}.pdf",
        content_type="application/pdf",
        subject=result,
        data_version=f"certificates-{result.pk}-v{result.version}",
        is_public=True,
        public_summary={
            "证书": f"{village}{label}当选证书",
            "当选": "、".join(f"{POST_TEXT.get(e['post'], e['post'])}{e['name']}" for e in elected),
            "发证日期": today.isoformat(),
        },
        font_warning=chinese_font().warning,
        short_code=short_code,
    )


@transaction.atomic
def result_notice_request(*, actor, result: RoundResult) -> Document | None:
    """Ask again for the result notice of a certified result (重新生成结果公告), e.g. when the background-task
    service was down at certification. Idempotent: a stored notice is returned as is; otherwise the request
    is audited and the notice task enqueued after the commit (making it twice still stores one notice)."""
    from election_admin.health import task_enqueue

    from ..tasks import result_notice_task
    from .common import may_enter

    if not may_enter(actor):
        raise PermissionDenied(_("Township staff ask for the result notice."))
    result = RoundResult.objects.visible_to(actor).select_for_update().filter(pk=result.pk).first()
    if result is None:
        raise PermissionDenied(_("This result is outside your area."))
    if not result.is_certified or not result.is_current:
        raise ValidationError(_("A result notice is made only for certified results."))
    existing = result_notice_existing(result)
    if existing is not None:
        return existing
    audit_record(
        actor=actor,
        event_type="results.notice_requested",
        region_code=result.election.region_id,
        obj=result,
        after={"version": result.version, "round": result.round_number},
    )
    result_id = result.pk
    transaction.on_commit(lambda: task_enqueue(result_notice_task, result_id))
    return None
