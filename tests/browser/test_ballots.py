"""Browser test of election night: two clerks enter a box's tally sheet, the county resolves the one
difference from the paper sheet, the township computes and certifies the results, the notice downloads,
and the county downloads the summary workbook of its area with the village's row in it."""

import io
from pathlib import Path

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from ballots.models import TallySheet
from ballots.selectors import vote_lines
from election_admin.choices import Role
from election_admin.models import Election
from tests.ballots.helpers import FIGURES, count_village, good_votes
from tests.candidate_helpers import ensure_candidate_data
from tests.factories import TEST_PASSWORD, UserFactory, make_region_tree

from .conftest import login


def _setup():
    ensure_candidate_data()
    regions = make_region_tree()
    county = UserFactory(username="datong", role=Role.COUNTY_BUREAU, region=regions["630121"])
    UserFactory(username="qiaotou", role=Role.TOWNSHIP_STAFF, region=regions["630121100"])
    UserFactory(username="yuanshuer", role=Role.VILLAGE_CLERK, region=regions["630121100201"])
    village = count_village(county, regions)
    Election.objects.filter(pk=village.election.pk).update(election_day=timezone.localdate())
    return village


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username, TEST_PASSWORD)


def enter_sheet(page, village, votes):
    page.goto(f"{page.base_url}/elections/{village.election.pk}/")
    page.get_by_test_id("ballots-link").click()
    page.get_by_test_id(f"enter-{village.boxes[0].pk}").click()
    form = page.get_by_test_id("tally-form")
    expect(form.locator("#id_voted")).to_have_value("")  # blank, never a pre-filled 0
    form.locator("#id_voted").focus()
    for name in ("voted", "issued", "returned", "invalid"):
        page.keyboard.type(str(FIGURES[name]))
        page.keyboard.press("Tab")
    for line in vote_lines(village.election):
        form.locator(f"#id_{line.field}").fill(str(votes.get(line.key, 0)))
    page.keyboard.press("Enter")
    expect(page.locator("[role=alert].alert-success")).to_be_visible()


def test_election_night(page):
    village = _setup()
    votes = good_votes(village)
    switch_user(page, "qiaotou")
    enter_sheet(page, village, votes)
    switch_user(page, "yuanshuer")
    enter_sheet(page, village, {**votes, village.key("张明"): 11})
    box = village.boxes[0]
    expect(page.get_by_test_id(f"sheet-status-{box.pk}")).to_have_text("两次录入不一致")

    switch_user(page, "datong")
    page.goto(f"{page.base_url}/elections/{village.election.pk}/election-day/")
    page.get_by_test_id(f"compare-{box.pk}").click()
    expect(page.get_by_test_id("differs")).to_have_count(1)
    resolve = page.get_by_test_id("resolve-form")
    field = next(line.field for line in vote_lines(village.election) if line.key == village.key("张明"))
    resolve.locator(f"#id_{field}").fill("10")
    resolve.locator("#id_note").fill("核对纸质计票单，张明得 10 票")
    resolve.get_by_role("button").click()
    expect(page.get_by_test_id(f"sheet-status-{box.pk}")).to_have_text("已核对一致")
    assert TallySheet.objects.get(box=box).votes[village.key("张明")] == 10

    switch_user(page, "qiaotou")
    page.goto(f"{page.base_url}/elections/{village.election.pk}/results/")
    page.get_by_test_id("compute-form").get_by_role("button").click()
    expect(page.get_by_test_id("elected")).to_contain_text("张明")
    expect(page.get_by_test_id("reasons")).to_contain_text("当选")
    page.get_by_test_id("certify-form").locator("input[name=confirmed]").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("certify-form").get_by_role("button").click()
    expect(page.get_by_test_id("result-status")).to_have_text("已确认")
    link = page.get_by_test_id("notice-link")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")

    # The county downloads the summary workbook of 大通县 from its progress page.
    switch_user(page, "datong")
    page.goto(f"{page.base_url}/progress/630121/")
    page.get_by_test_id("area-documents-link").first.click()
    expect(page.get_by_test_id("area-counts")).to_contain_text("1")
    page.get_by_test_id("summary-form").get_by_role("button").click()
    expect(page.get_by_test_id("job-progress")).to_contain_text("100%")
    with page.expect_download() as download:
        page.get_by_test_id("job-progress").get_by_role("link").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if row[0] == "市（州）")
    village = next(
        row
        for row in rows
        if row[header.index("统计代码")] == "630121100201" and row[header.index("选举机构")] == "村民委员会"
    )
    assert village[header.index("村（社区）")] == "元树尔村委会"
    assert (village[header.index("参加投票人数")], village[header.index("当选主任")]) == (14, "张明")
