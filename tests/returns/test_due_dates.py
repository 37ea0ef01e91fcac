"""Due dates of the returns (上报时限): set by the bureau of the cycle's area, each level not before the one
below; a region below that has not reported (or was sent back and has not re-submitted) after its date is
overdue — on the reviewer's page and on the progress dashboard."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from election_admin.choices import RegionLevel
from election_admin.returns.models import ReturnDueDate
from election_admin.returns.services import return_due_dates_set, return_send_back, return_submit

from .helpers import DATONG, QIAOTOU, cycle_with_results, region

TODAY = timezone.localdate()
TOWNSHIP, COUNTY, CITY = RegionLevel.TOWNSHIP, RegionLevel.COUNTY, RegionLevel.CITY


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(county_user, regions):
    return cycle_with_results(county_user, regions)


def test_only_the_cycles_bureau_sets_due_dates_in_order(
    cycle, county_user, township_user, city_user, neighbour_county_user
):
    for actor in (township_user, city_user, neighbour_county_user):
        with pytest.raises(PermissionDenied):
            return_due_dates_set(actor=actor, cycle=cycle, dates={TOWNSHIP: TODAY})
    with pytest.raises(ValidationError) as error:
        return_due_dates_set(
            actor=county_user, cycle=cycle, dates={TOWNSHIP: TODAY, COUNTY: TODAY - timedelta(days=1)}
        )
    assert "due_3" in error.value.message_dict
    assert not ReturnDueDate.objects.exists()
    dates = {TOWNSHIP: TODAY, COUNTY: TODAY + timedelta(days=5)}
    assert return_due_dates_set(actor=county_user, cycle=cycle, dates=dates) == dates
    return_due_dates_set(actor=county_user, cycle=cycle, dates=dates)  # the same again: nothing new
    assert AuditEvent.objects.filter(event_type="return.due_dates_set").count() == 1
    return_due_dates_set(actor=county_user, cycle=cycle, dates={TOWNSHIP: TODAY})  # clears the county's
    assert dict(ReturnDueDate.objects.values_list("level", "due_on")) == {TOWNSHIP: TODAY}


def test_overdue_townships_on_the_county_page_and_dashboard(
    client, cycle, county_user, township_user, neighbour_township_user
):
    return_due_dates_set(actor=county_user, cycle=cycle, dates={TOWNSHIP: TODAY - timedelta(days=3)})
    ret, _created = return_submit(actor=township_user, cycle=cycle, region=region(QIAOTOU))
    client.force_login(county_user)
    page = client.get(reverse("returns_region", args=[cycle.pk, DATONG])).content.decode()
    rows = {code: page.split(f'data-code="{code}"')[1].split("</tr>")[0] for code in (QIAOTOU, "630121101")}
    assert "3 days overdue" in rows["630121101"]  # 城关镇 has not reported
    assert "overdue" not in rows[QIAOTOU]  # 桥头镇 reported, awaiting review
    assert 'data-testid="overdue-count"' in page

    return_send_back(actor=county_user, return_obj=ret, comment="请核实")
    page = client.get(reverse("returns_region", args=[cycle.pk, DATONG])).content.decode()
    assert "3 days overdue" in page.split(f'data-code="{QIAOTOU}"')[1].split("</tr>")[0]

    panel = client.get(reverse("progress_region", args=[DATONG])).content.decode()
    panel = panel.split('data-testid="returns-panel"')[1].split("</table>")[0]
    assert "2 overdue" in panel

    client.force_login(township_user)
    home = client.get(reverse("returns_home")).content.decode()
    assert (TODAY - timedelta(days=3)).isoformat() in home


def test_due_dates_form_on_the_cycles_page(client, cycle, county_user, township_user):
    url = reverse("returns_region", args=[cycle.pk, DATONG])
    client.force_login(county_user)
    response = client.post(
        url,
        {"action": "due_dates", "due_4": TODAY.isoformat(), "due_3": (TODAY - timedelta(days=1)).isoformat()},
    )
    assert (
        response.status_code == 200 and "Not before the date of the level below" in response.content.decode()
    )
    assert not ReturnDueDate.objects.exists()
    client.post(url, {"action": "due_dates", "due_4": TODAY.isoformat(), "due_3": ""})
    assert dict(ReturnDueDate.objects.values_list("level", "due_on")) == {TOWNSHIP: TODAY}
    form = client.get(url).content.decode().split('data-testid="due-dates-form"')[1].split("</form>")[0]
    assert f'name="due_4" value="{TODAY.isoformat()}"' in form  # the saved date shows in the form
    client.force_login(township_user)
    url = reverse("returns_region", args=[cycle.pk, QIAOTOU])
    assert 'data-testid="due-dates-form"' not in client.get(url).content.decode()
    assert client.post(url, {"action": "due_dates", "due_4": TODAY.isoformat()}).status_code == 403
