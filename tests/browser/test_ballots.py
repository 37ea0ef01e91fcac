"""Browser test of election night and its run-off (#6 "Done when"): two clerks enter a box's tally sheet,
the county resolves the one difference from the paper sheet, the township computes the results — two
member seats unfilled — and certifies them; a week after the election day the run-off's sheet is entered
twice, computed and certified; the result notice downloads with its verification code, the public check
page (no login) confirms it and the downloaded copy; the county downloads the summary workbook of its
area with the village's row in it."""

import io
import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from ballots.choices import RUNOFF_ROUND
from ballots.models import TallySheet
from ballots.selectors import vote_lines
from election_admin.choices import Role
from election_admin.models import Election
from tests.ballots.helpers import FIGURES, count_village, good_votes
from tests.candidate_helpers import ensure_candidate_data
from tests.factories import TEST_PASSWORD, UserFactory, make_region_tree
from tests.voter_helpers import pdf_text

from .conftest import login


def _setup():
    ensure_candidate_data()
    regions = make_region_tree()
    county = UserFactory(username="datong", role=Role.COUNTY_BUREAU, region=regions["630121"])
    UserFactory(username="qiaotou", role=Role.TOWNSHIP_STAFF, region=regions["630121100"])
    UserFactory(username="yuanshuer", role=Role.VILLAGE_CLERK, region=regions["630121100201"])
    village = count_village(county, regions)
    # The election was a week ago: today is the run-off's day.
    Election.objects.filter(pk=village.election.pk).update(election_day=timezone.localdate() - timedelta(7))
    return village


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username, TEST_PASSWORD)


def enter_sheet(page, village, votes, round_number=1):
    page.goto(f"{page.base_url}/elections/{village.election.pk}/")
    page.get_by_test_id("ballots-link").click()
    page.get_by_test_id(f"enter-{village.boxes[0].pk}").click()
    form = page.get_by_test_id("tally-form")
    lines = vote_lines(village.election, round_number)
    # The sheet lists the people of this round's ballot and no one else.
    for line in vote_lines(village.election):
        expect(form.locator(f"#id_{line.field}")).to_have_count(1 if line in lines else 0)
    expect(form.locator("#id_voted")).to_have_value("")  # blank, never a pre-filled 0
    form.locator("#id_voted").focus()
    for name in ("voted", "issued", "returned", "invalid"):
        page.keyboard.type(str(FIGURES[name]))
        page.keyboard.press("Tab")
    for line in lines:
        form.locator(f"#id_{line.field}").fill(str(votes.get(line.key, 0)))
    page.keyboard.press("Enter")
    expect(page.locator("[role=alert].alert-success")).to_be_visible()


def certify(page):
    page.get_by_test_id("certify-form").locator("input[name=confirmed]").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("certify-form").get_by_role("button").click()
    expect(page.get_by_test_id("result-status")).to_have_text("已确认")


def test_election_night(page):
    village = _setup()
    # Members: only 陈静 has more than half of the 14 ballots; two of the three seats are left.
    votes = {**good_votes(village), village.key("杨帆"): 6, village.key("黄磊"): 5}
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

    # Round 1: the system declares two member seats unfilled; the township certifies it.
    switch_user(page, "qiaotou")
    results_url = f"{page.base_url}/elections/{village.election.pk}/results/"
    page.goto(results_url)
    page.get_by_test_id("compute-form").get_by_role("button").click()
    expect(page.get_by_test_id("elected")).to_contain_text("张明")
    expect(page.get_by_test_id("reasons")).to_contain_text("应选3名，尚缺2名，另行选举")
    certify(page)

    # A week later: the run-off's sheet, entered twice, lists only the run-off's people.
    page.goto(f"{page.base_url}/elections/{village.election.pk}/election-day/")
    expect(page.get_by_test_id("runoff-badge")).to_be_visible()
    runoff = {village.key("杨帆"): 9, village.key("黄磊"): 8, village.key("周敏"): 3}
    enter_sheet(page, village, runoff, RUNOFF_ROUND)
    switch_user(page, "yuanshuer")
    enter_sheet(page, village, runoff, RUNOFF_ROUND)
    expect(page.get_by_test_id(f"sheet-status-{box.pk}")).to_have_text("已核对一致")
    switch_user(page, "qiaotou")
    page.goto(results_url)
    page.get_by_test_id("compute-form").get_by_role("button").click()
    expect(page.get_by_test_id("elected")).to_contain_text("杨帆")
    expect(page.get_by_test_id("elected")).to_contain_text("黄磊")
    certify(page)
    village.election.refresh_from_db()
    assert village.election.filled_in_first_round is False

    # The result notice prints its verification code; the public page (no login) confirms it.
    with page.expect_download() as download:
        page.get_by_test_id("notice-link").click()
    assert download.value.suggested_filename.endswith(".pdf")
    notice_path = download.value.path()
    text = pdf_text(Path(notice_path).read_bytes()).replace(" ", "")
    assert "杨帆" in text and "黄磊" in text
    code = re.search(r"/verify/([A-Z0-9]+)/", text) or re.search(r"核验码[:：]?([A-Z0-9]{6,})", text)
    assert code, text[-400:]
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/verify/{code.group(1)}/")
    card = page.get_by_test_id("verify-card")
    expect(card).to_contain_text("本公告已在系统中备案")
    expect(card).to_contain_text("选举结果公告")
    page.set_input_files("#copy", notice_path)
    card.get_by_role("button", name="核对", exact=True).click()
    expect(page.get_by_test_id("verify-result")).to_have_text("该文件与原件完全一致。")

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
