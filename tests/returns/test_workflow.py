"""Returns up the hierarchy (逐级上报): a township submits its frozen figures, the county sends them back with a
comment or accepts them, a re-submission is a new version; a county submits once its townships are accepted
(or explains the missing ones); a double click does nothing twice; every step is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from audit.models import AuditEvent
from election_admin.reporting.figures import return_figures
from election_admin.returns.choices import ReturnStatus
from election_admin.returns.models import Return, ReturnEvent
from election_admin.returns.services import return_accept, return_send_back, return_submit
from election_admin.returns.snapshot import figures_sha256

from .helpers import CHENGGUAN, DATONG, QIAOTOU, XINING, change_results, cycle_with_results, region


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(county_user, regions):
    return cycle_with_results(county_user, regions)


def submit(user, cycle, code, **kwargs):
    ret, _created = return_submit(actor=user, cycle=cycle, region=region(code), **kwargs)
    return ret


def test_township_return_freezes_todays_figures(township_user, cycle):
    ret, created = return_submit(actor=township_user, cycle=cycle, region=region(QIAOTOU), note="请审核")
    assert created and ret.version == 1 and ret.is_current and ret.status == ReturnStatus.SUBMITTED
    assert ret.figures == return_figures(region(QIAOTOU), cycle)
    assert ret.figures_sha256 == figures_sha256(ret.figures) and len(ret.figures_sha256) == 64
    assert ret.submitted_by == township_user and ret.note == "请审核"
    event = AuditEvent.objects.get(event_type="return.submitted")
    assert event.region_code == QIAOTOU and event.after["figures_sha256"] == ret.figures_sha256
    assert list(ret.events.values_list("action", flat=True)) == ["submitted"]


def test_sent_back_once_with_a_comment_then_resubmitted_and_accepted(township_user, county_user, cycle):
    first = submit(township_user, cycle, QIAOTOU)
    with pytest.raises(ValidationError) as error:
        return_send_back(actor=county_user, return_obj=first, comment="   ")
    assert "comment" in error.value.message_dict
    first.refresh_from_db()
    assert first.status == ReturnStatus.SUBMITTED  # nothing changed by the refused send-back

    return_send_back(actor=county_user, return_obj=first, comment="元树尔村参选人数与计票单不符，请核实")
    first.refresh_from_db()
    assert first.status == ReturnStatus.SENT_BACK and first.reviewed_by == county_user
    assert first.review_comment == "元树尔村参选人数与计票单不符，请核实"

    second, created = return_submit(actor=township_user, cycle=cycle, region=region(QIAOTOU))
    assert created and second.version == 2 and second.is_current
    first.refresh_from_db()
    assert not first.is_current and first.status == ReturnStatus.SENT_BACK  # the old version stays as it was

    return_accept(actor=county_user, return_obj=second)
    second.refresh_from_db()
    assert second.status == ReturnStatus.ACCEPTED and second.reviewed_at is not None
    assert list(
        AuditEvent.objects.filter(event_type__startswith="return.")
        .order_by("sequence")
        .values_list("event_type", flat=True)
    ) == [
        "return.submitted",
        "return.sent_back",
        "return.resubmitted",
        "return.accepted",
    ]
    history = ReturnEvent.objects.filter(return_obj__region_id=QIAOTOU).order_by("at", "id")
    assert [(e.action, e.return_obj.version) for e in history] == [
        ("submitted", 1),
        ("sent_back", 1),
        ("resubmitted", 2),
        ("accepted", 2),
    ]


def test_double_clicks_do_nothing_twice(township_user, county_user, cycle):
    first, created = return_submit(actor=township_user, cycle=cycle, region=region(QIAOTOU))
    again, created_again = return_submit(actor=township_user, cycle=cycle, region=region(QIAOTOU))
    assert created and not created_again and again.pk == first.pk
    return_send_back(actor=county_user, return_obj=first, comment="请补充说明")
    return_send_back(actor=county_user, return_obj=first, comment="请补充说明")
    second = submit(township_user, cycle, QIAOTOU)
    return_accept(actor=county_user, return_obj=second)
    return_accept(actor=county_user, return_obj=second)
    assert Return.objects.filter(region_id=QIAOTOU).count() == 2
    assert AuditEvent.objects.filter(event_type="return.sent_back").count() == 1
    assert AuditEvent.objects.filter(event_type="return.accepted").count() == 1
    assert AuditEvent.objects.filter(event_type__in=["return.submitted", "return.resubmitted"]).count() == 2


def test_an_old_version_cannot_be_reviewed(township_user, county_user, cycle):
    first = submit(township_user, cycle, QIAOTOU)
    return_send_back(actor=county_user, return_obj=first, comment="请核实")
    submit(township_user, cycle, QIAOTOU)
    with pytest.raises(ValidationError, match="no longer awaiting review"):
        return_accept(actor=county_user, return_obj=first)


def test_a_submitted_return_never_changes_with_the_data(township_user, county_user, cycle):
    ret = submit(township_user, cycle, QIAOTOU)
    frozen, digest = dict(ret.figures), ret.figures_sha256
    change_results(county_user, cycle, voted=900)  # 元树尔村's count corrected: 1080 → 900 voted
    ret.refresh_from_db()
    assert ret.figures == frozen and ret.figures_sha256 == digest
    assert return_figures(region(QIAOTOU), cycle) != frozen
    # the same submission again is now a new version with today's figures; the pending one is replaced
    newer, created = return_submit(actor=township_user, cycle=cycle, region=region(QIAOTOU))
    assert created and newer.version == 2 and newer.figures == return_figures(region(QIAOTOU), cycle)
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUPERSEDED and not ret.is_current and ret.figures == frozen


def test_only_the_bureau_above_reviews(
    township_user, neighbour_township_user, county_user, neighbour_county_user, city_user, cycle
):
    ret = submit(township_user, cycle, QIAOTOU)
    for actor in (township_user, neighbour_township_user, neighbour_county_user, city_user):
        with pytest.raises(PermissionDenied):
            return_accept(actor=actor, return_obj=ret)
        with pytest.raises(PermissionDenied):
            return_send_back(actor=actor, return_obj=ret, comment="x")
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED
    assert not AuditEvent.objects.filter(event_type__in=["return.accepted", "return.sent_back"]).exists()


def test_only_the_regions_own_office_submits(
    township_user,
    neighbour_township_user,
    county_user,
    neighbour_county_user,
    city_user,
    village_clerk,
    cycle,
):
    for actor in (neighbour_township_user, county_user, city_user, village_clerk, neighbour_county_user):
        with pytest.raises(PermissionDenied):
            return_submit(actor=actor, cycle=cycle, region=region(QIAOTOU))
    for actor in (township_user, city_user):
        with pytest.raises(PermissionDenied):
            return_submit(actor=actor, cycle=cycle, region=region(DATONG))
    assert not Return.objects.exists()


def test_county_submits_when_its_townships_are_accepted_or_explains(
    township_user, neighbour_township_user, county_user, city_user, province_user, cycle
):
    with pytest.raises(ValidationError) as error:
        return_submit(actor=county_user, cycle=cycle, region=region(DATONG))
    message = error.value.message_dict["missing_explanation"][0]
    assert "桥头镇" in message and "城关镇" in message and "Not reported" in message

    qiaotou = submit(township_user, cycle, QIAOTOU)
    return_accept(actor=county_user, return_obj=qiaotou)
    with pytest.raises(ValidationError) as error:
        return_submit(actor=county_user, cycle=cycle, region=region(DATONG))
    message = error.value.message_dict["missing_explanation"][0]
    assert "城关镇" in message and "桥头镇" not in message

    county, created = return_submit(
        actor=county_user, cycle=cycle, region=region(DATONG), missing_explanation="城关镇因选举日未定，暂缺"
    )
    assert created and [m["region"] for m in county.missing] == [CHENGGUAN]
    assert county.missing_explanation == "城关镇因选举日未定，暂缺"
    assert county.figures == return_figures(region(DATONG), cycle)
    assert {c["region"]: (c["version"], c["status"]) for c in county.children} == {
        QIAOTOU: (1, ReturnStatus.ACCEPTED),
        CHENGGUAN: (None, ""),
    }

    chengguan = submit(neighbour_township_user, cycle, CHENGGUAN)
    return_accept(actor=county_user, return_obj=chengguan)
    # the returns below changed: the county's next submission rests on both, no explanation needed
    complete, created = return_submit(actor=county_user, cycle=cycle, region=region(DATONG))
    assert created and complete.version == 2 and complete.missing == []
    return_accept(actor=city_user, return_obj=complete)
    complete.refresh_from_db()
    assert complete.status == ReturnStatus.ACCEPTED

    # and the city reports to the province in turn (its one county of this cycle accepted)
    city_return, created = return_submit(actor=city_user, cycle=cycle, region=region(XINING))
    assert created and [c["region"] for c in city_return.children] == [DATONG]
    with pytest.raises(PermissionDenied):  # the city does not accept its own return
        return_accept(actor=city_user, return_obj=city_return)
    return_accept(actor=province_user, return_obj=city_return)
    city_return.refresh_from_db()
    assert city_return.status == ReturnStatus.ACCEPTED and city_return.reviewed_by == province_user
