"""A data set built to match the quoted city report reproduces its figures exactly — by the service, in
the figures contract and on the page a city bureau reads; and the page is scoped."""

import pytest
from django.urls import reverse

from election_admin.reporting.figures import return_figures
from election_admin.reporting.selectors import member_statistics, round_statistics

from .report_data import TOWNSHIP, build_report


@pytest.fixture
def report(county_user, regions):
    return build_report(county_user, regions)


def test_the_quoted_report_is_reproduced_exactly(report, regions):
    from election_admin.models import Region

    street = Region.objects.get(code=TOWNSHIP)
    rounds = round_statistics(street, report)["party_branch"]
    assert (rounds["due"], rounds["on_time"], rounds["on_time_pct"]) == (45, 45, 100.0)
    assert (rounds["first_round_success"], rounds["first_round_success_pct"]) == (45, 100.0)
    members = member_statistics(street, report)
    party = members["party_branch"]
    assert party["count"] == 225
    assert party["avg_age"] == 38.7
    assert (party["edu_bachelor_plus"], party["edu_bachelor_plus_pct"]) == (125, 55.6)
    assert party["age_35_under"] == 82
    assert members["secretaries"]["count"] == 45 and members["secretaries"]["avg_age"] == 42.5
    assert (party["re_elected"], party["first_time"]) == (100, 125)
    figures = return_figures(street, report)
    assert figures["previous.members.party_branch.avg_age"] == 40.9
    assert figures["change.members.party_branch.avg_age"] == -2.2
    assert figures["previous.members.party_branch.edu_bachelor_plus_pct"] == 49.8
    assert figures["change.members.party_branch.edu_bachelor_plus_pct"] == 5.8
    assert figures["round.party_branch.on_time_pct"] == 100.0


def test_the_city_bureau_reads_the_figures_on_the_page(report, city_user, client):
    client.force_login(city_user)
    url = reverse("statistics_region", args=[report.pk, TOWNSHIP])
    page = client.get(url, {"group": "party_branch"})
    assert page.status_code == 200
    html = page.content.decode()
    for shown in ("38.7", "40.9", "−2.2", "55.6", "49.8", "+5.8", "42.5", ">82<", ">225<", "100.0"):
        assert shown in html, shown
    people = client.get(
        reverse("statistics_people", args=[report.pk, TOWNSHIP, "party_branch", "age_35_under"])
    )
    assert people.status_code == 200 and people.content.decode().count("<tr>") == 82 + 1
    villages = client.get(
        reverse("statistics_villages", args=[report.pk, TOWNSHIP, "party_branch", "on_time"])
    )
    assert villages.status_code == 200 and "测试第45社区居委会" in villages.content.decode()


def test_a_township_cannot_see_a_neighbours_figures_or_drill_downs(report, township_user, client):
    client.force_login(township_user)
    for url in (
        reverse("statistics_region", args=[report.pk, TOWNSHIP]),
        reverse("statistics_people", args=[report.pk, TOWNSHIP, "party_branch", "count"]),
        reverse("statistics_villages", args=[report.pk, TOWNSHIP, "party_branch", "due"]),
        reverse("statistics_region", args=[report.pk, "630121"]),
    ):
        assert client.get(url).status_code == 404, url
    own = client.get(reverse("statistics_people", args=[report.pk, "630121100", "party_branch", "count"]))
    assert own.status_code == 200 and "当选人0" not in own.content.decode()


def test_county_figures_from_the_township_tallies_equal_the_people(report, regions):
    """County and above add up MemberTally rows; they must equal the people elected, figure by figure."""
    from election_admin.reporting import selectors
    from election_admin.reporting.models import MemberTally

    assert MemberTally.objects.filter(cycle=report, township_code=TOWNSHIP).exists()
    for previous in (None, report):
        tally = selectors._member_rows(
            selectors._members(report, "630121", previous_of=previous),
            "township_code",
            selectors.MEMBER_GROUPS,
        )
        people = selectors._member_rows(
            selectors._members(report, "630121", previous_of=previous, tally=False),
            "township_code",
            selectors.MEMBER_GROUPS,
        )
        assert tally == people and tally[("party_branch", TOWNSHIP)]["count"] == 225
    county = member_statistics(regions["630121"], report)
    assert (
        county["secretaries"]["avg_age"] == 42.5 and county["party_branch"]["edu_bachelor_plus_pct"] == 55.6
    )
    assert selectors.occupations(regions["630121"], report, "party_branch") == [("社区工作者", 225)]
