"""The result notice (选举结果公告) of a certified result: stored once per result version."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
    from election_admin.services.documents import document_store

    result = RoundResult.objects.select_related("election__region", "election__cycle").get(pk=result.pk)
    if not result.is_certified:
        raise ValidationError(_("A result notice is made only for certified results."))
    existing = result_notice_existing(result)
    if existing is not None:
        return existing
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
    return document_store(
        actor=actor,
        kind=DocumentKind.RESULT_NOTICE,
        region=election.region,
        title=title,
        content=content,
        filename=f"result-notice-{election.region_id}-{result.round_number}-v{result.version}.pdf",
        content_type="application/pdf",
        subject=result,
        data_version=_data_version(result),
        is_public=True,
        public_summary={
            "公告": title,
            "登记选民": f"{figures.registered} 人",
            "参加投票": f"{figures.voted} 人",
            "当选": "、".join(f"{w.post}{w.name}" for w in winners),
            "公布日期": context.published_on.isoformat(),
        },
        font_warning=chinese_font().warning,
        short_code=short_code,
    )
