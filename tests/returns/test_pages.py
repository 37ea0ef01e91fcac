"""Returns pages: every page scoped (another township's or county's return answers 404), the difference table
after a data change with its banner and re-submit form, send-back refused without a comment on the page,
who has not reported on the reviewer's page and on the progress dashboard, the printable copy."""

import pytest
from django.urls import reverse
from django.utils import translation

from election_admin.returns.choices import ReturnStatus
from election_admin.returns.models import Return
from election_admin.returns.services import return_accept, return_submit

from .helpers import CHENGGUAN, DATONG, QIAOTOU, change_results, cycle_with_results, region


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages in English (the browser test reads them in Chinese)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(county_user, regions):
    return cycle_with_results(county_user, regions)


@pytest.fixture
def qiaotou_return(township_user, cycle):
    ret, _created = return_submit(actor=township_user, cycle=cycle, region=region(QIAOTOU))
    return ret


def test_out_of_area_returns_answer_404(
    client, qiaotou_return, neighbour_township_user, neighbour_county_user, village_clerk
):
    urls = [
        reverse("returns_detail", args=[qiaotou_return.pk]),
        reverse("returns_print", args=[qiaotou_return.pk]),
        reverse("returns_region", args=[qiaotou_return.cycle_id, QIAOTOU]),
    ]
    for user in (neighbour_township_user, neighbour_county_user, village_clerk):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
        response = client.post(urls[0], {"action": "accept"})
        assert response.status_code == 404
    client.logout()
    assert client.get(urls[0]).status_code == 302  # to the sign-in page
    qiaotou_return.refresh_from_db()
    assert qiaotou_return.status == ReturnStatus.SUBMITTED


def test_township_cannot_accept_its_own_return_through_the_page(client, township_user, qiaotou_return):
    client.force_login(township_user)
    page = client.get(reverse("returns_detail", args=[qiaotou_return.pk])).content.decode()
    assert 'data-testid="review-form"' not in page
    response = client.post(reverse("returns_detail", args=[qiaotou_return.pk]), {"action": "accept"})
    assert response.status_code == 403
    qiaotou_return.refresh_from_db()
    assert qiaotou_return.status == ReturnStatus.SUBMITTED


def test_send_back_without_a_comment_is_refused_on_the_page(client, county_user, qiaotou_return):
    client.force_login(county_user)
    url = reverse("returns_detail", args=[qiaotou_return.pk])
    response = client.post(url, {"action": "send_back", "comment": ""})
    assert response.status_code == 200
    assert "Say what must be corrected before it is sent back." in response.content.decode()
    qiaotou_return.refresh_from_db()
    assert qiaotou_return.status == ReturnStatus.SUBMITTED
    response = client.post(url, {"action": "send_back", "comment": "请核对参选人数"}, follow=True)
    assert "请核对参选人数" in response.content.decode()
    qiaotou_return.refresh_from_db()
    assert qiaotou_return.status == ReturnStatus.SENT_BACK


def test_changed_data_shows_the_differences_and_a_resubmit(
    client, township_user, county_user, qiaotou_return
):
    client.force_login(township_user)
    url = reverse("returns_detail", args=[qiaotou_return.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="return-changed"' not in page and 'data-testid="submit-form"' not in page

    change_results(county_user, qiaotou_return.cycle, voted=900)
    page = client.get(url).content.decode()
    assert "The data have changed: submit the return again." in page
    assert 'data-testid="submit-form"' in page
    table = page.split('data-testid="return-differences"')[1].split("</table>")[0]
    assert "1080" in table and "900" in table  # submitted and now, side by side

    response = client.post(url, {"action": "submit", "note": "已更正元树尔村参选人数"}, follow=True)
    newer = Return.objects.get(region_id=QIAOTOU, is_current=True)
    assert newer.version == 2 and response.redirect_chain[-1][0] == reverse("returns_detail", args=[newer.pk])
    assert "The data have changed" not in response.content.decode()
    qiaotou_return.refresh_from_db()
    assert qiaotou_return.figures != newer.figures  # the first version kept its figures


def test_reviewer_sees_who_has_not_reported(client, county_user, qiaotou_return):
    client.force_login(county_user)
    page = client.get(reverse("returns_region", args=[qiaotou_return.cycle_id, DATONG])).content.decode()
    assert 'data-testid="children-table"' in page
    assert "0 of 2 accepted · 1 awaiting review · 0 sent back · 1 not reported" in page
    not_reported = page.split('data-testid="not-reported"')[1].split("</div>")[0]
    assert "城关镇" in not_reported and "桥头镇" not in not_reported
    # the county's own submit form names the township not yet accepted and asks for an explanation
    assert 'data-testid="missing-children"' in page


def test_county_submits_through_the_page_with_an_explanation(
    client, county_user, neighbour_township_user, qiaotou_return
):
    return_accept(actor=county_user, return_obj=qiaotou_return)
    client.force_login(county_user)
    url = reverse("returns_region", args=[qiaotou_return.cycle_id, DATONG])
    response = client.post(url, {"action": "submit"})
    assert response.status_code == 200 and "城关镇" in response.content.decode()
    assert not Return.objects.filter(region_id=DATONG).exists()
    response = client.post(url, {"action": "submit", "missing_explanation": "城关镇暂缺"}, follow=True)
    county = Return.objects.get(region_id=DATONG)
    assert county.missing_explanation == "城关镇暂缺"
    page = response.content.decode()
    assert 'data-testid="return-missing"' in page and "城关镇" in page
    assert 'data-testid="submit-form"' not in page  # nothing new to submit

    # 城关镇 reports and is accepted: the county is told its return no longer rests on the latest returns
    chengguan, _created = return_submit(
        actor=neighbour_township_user, cycle=county.cycle, region=region(CHENGGUAN)
    )
    return_accept(actor=county_user, return_obj=chengguan)
    page = client.get(url).content.decode()
    assert 'data-testid="children-changed"' in page and 'data-testid="submit-form"' in page
    assert 'data-testid="missing-children"' not in page  # all accepted now: no explanation asked
    client.post(url, {"action": "submit"})
    assert Return.objects.get(region_id=DATONG, is_current=True).version == 2


def test_dashboard_panel_shows_who_has_not_reported(client, county_user, qiaotou_return):
    client.force_login(county_user)
    page = client.get(reverse("progress_region", args=[DATONG])).content.decode()
    panel = page.split('data-testid="returns-panel"')[1].split("</table>")[0]
    assert "0 / 2" in panel
    not_reported = panel.split('data-testid="panel-not-reported"')[1].split("</td>")[0]
    assert "城关镇" in not_reported and "桥头镇" not in not_reported
    assert reverse("returns_region", args=[qiaotou_return.cycle_id, DATONG]) in panel


def test_printable_copy_has_the_figures_and_their_hash(client, township_user, qiaotou_return):
    client.force_login(township_user)
    page = client.get(reverse("returns_print", args=[qiaotou_return.pk])).content.decode()
    assert qiaotou_return.figures_sha256 in page and "桥头镇" in page
    assert "<script>" not in page  # the print button's behaviour lives in static/js/returns.js (CSP)


def test_returns_home_lists_the_cycle_and_own_status(client, township_user, qiaotou_return):
    client.force_login(township_user)
    page = client.get(reverse("returns_home")).content.decode()
    assert qiaotou_return.cycle.name in page
    assert reverse("returns_region", args=[qiaotou_return.cycle_id, QIAOTOU]) in page
    assert "Awaiting review" in page


def test_neighbour_township_page_in_the_same_cycle_is_404(client, township_user, qiaotou_return):
    client.force_login(township_user)
    assert client.get(reverse("returns_region", args=[qiaotou_return.cycle_id, CHENGGUAN])).status_code == 404
    assert client.get(reverse("returns_region", args=[qiaotou_return.cycle_id, DATONG])).status_code == 404


def test_return_page_groups_the_figures_under_headings(client, township_user, qiaotou_return):
    client.force_login(township_user)
    page = client.get(reverse("returns_detail", args=[qiaotou_return.pk])).content.decode()
    assert 'data-section="round.committee"' in page
    assert page.index('data-section="round.committee"') < page.index('data-section="members.both"')
    voted = qiaotou_return.figures["round.committee.voted"]
    section = page[page.index('data-section="round.committee"') :]
    section = section[: section.index("</table>")]
    assert f'<tr><td>Voters who voted</td><td class="num">{voted}</td>' in section
