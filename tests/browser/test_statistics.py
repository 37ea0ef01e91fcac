"""Browser test of the statistics: a city bureau opens the statistics, goes down to a street, reads the
party organisations' figures against the previous term, drills from a share to the people behind it,
and requests and downloads the Excel workbook."""

import io
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from election_admin.choices import Role
from tests.cycle_helpers import ensure_shipped_rulesets
from tests.factories import TEST_PASSWORD, UserFactory, make_region_tree
from tests.reporting.report_data import build_report

from .conftest import login


def test_city_reads_drills_compares_and_downloads(page, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_shipped_rulesets()
    regions = make_region_tree()
    county = UserFactory(username="datong", role=Role.COUNTY_BUREAU, region=regions["630121"])
    UserFactory(username="xining", role=Role.CITY_BUREAU, region=regions["6301"])
    cycle = build_report(county, regions)

    login(page, "xining", TEST_PASSWORD)
    page.get_by_test_id("nav-statistics").click()
    page.get_by_test_id(f"cycle-{cycle.pk}").click()
    expect(page.get_by_test_id("statistics-region")).to_have_text("大通回族土族自治县")
    page.get_by_test_id("children-table").get_by_role("link", name="测试街道").click()
    expect(page.get_by_test_id("statistics-region")).to_have_text("测试街道")

    # The party organisations: the quoted report's figures, with the previous term and the change.
    page.get_by_test_id("group-party_branch").click()
    expect(page.get_by_test_id("member-group")).to_have_text("村（社区）党组织")
    table = page.get_by_test_id("member-table")
    expect(table.locator("tr[data-figure='avg_age']")).to_contain_text("38.7")
    expect(page.get_by_test_id("change-avg_age")).to_have_text("−2.2")
    expect(page.get_by_test_id("change-edu_bachelor_plus_pct")).to_have_text("+5.8")
    expect(page.get_by_test_id("round-party_branch-on_time_pct")).to_have_text("100.0")

    # From the share of people aged 35 or under to the 82 people behind it (no ID numbers shown).
    page.get_by_test_id("people-age_35_under_pct").click()
    expect(page.get_by_test_id("drill-title")).to_contain_text("35周岁及以下")
    people = page.get_by_test_id("drill-people")
    expect(people.locator("tbody tr")).to_have_count(82)
    expect(people).to_contain_text("当选人045")
    page.go_back()

    # The workbook, made as a background job, downloads with the street's row and its totals.
    page.get_by_test_id("workbook-request").click()
    expect(page.get_by_test_id("job-progress")).to_contain_text("100%")
    with page.expect_download() as download:
        page.get_by_test_id("job-progress").get_by_role("link").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(book["党组织成员"].iter_rows(values_only=True))
    assert rows[-1][1] == "合计" and 225 in rows[-1]
