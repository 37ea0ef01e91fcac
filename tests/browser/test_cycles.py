"""Browser tests: a county bureau opens a cycle and sets a township's election day; a city bureau drills down."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from election_admin.choices import Role
from tests.cycle_helpers import ensure_shipped_rulesets
from tests.factories import TEST_PASSWORD, UserFactory, make_region_tree

from .conftest import login


def _users():
    ensure_shipped_rulesets()
    regions = make_region_tree()
    county = UserFactory(username="datong", role=Role.COUNTY_BUREAU, region=regions["630121"])
    UserFactory(username="qiaotou", role=Role.TOWNSHIP_STAFF, region=regions["630121100"])
    UserFactory(username="xining", role=Role.CITY_BUREAU, region=regions["6301"])
    return regions, county


def test_county_opens_cycle_sets_township_day_and_watches_progress(page, transactional_db):
    _users()
    today = timezone.localdate()
    login(page, "datong", TEST_PASSWORD)
    page.get_by_test_id("nav-cycles").click()
    page.get_by_test_id("open-cycle").click()
    page.fill("#id_name", "2026年大通县村（社区）两委换届")
    page.select_option("#id_region", "630121")
    page.fill("#id_window_start", (today - timedelta(days=30)).isoformat())
    page.fill("#id_window_end", (today + timedelta(days=60)).isoformat())
    page.fill("#id_term_start", (today + timedelta(days=70)).isoformat())
    page.get_by_role("button", name="开启换届").click()
    expect(page.get_by_test_id("cycle-title")).to_have_text("2026年大通县村（社区）两委换届")
    expect(page.locator(".alert-success")).to_contain_text("7 个选举")
    townships = page.get_by_test_id("cycle-townships")
    expect(townships).to_contain_text("桥头镇")
    expect(townships).to_contain_text("城关镇")

    # Bulk election day for 桥头镇: 10 days away, so the roll (D-20) is already overdue — the page says so.
    page.get_by_test_id("set-days").click()
    page.select_option("#id_township", "630121100")
    page.fill("#id_election_day", (today + timedelta(days=10)).isoformat())
    page.get_by_role("button", name="确定选举日").click()
    expect(page.locator(".alert-success")).to_contain_text("5 个选举")
    expect(page.locator(".alert-warning").first).to_contain_text("逾期")

    # One village's deadlines.
    page.get_by_test_id("cycle-elections").get_by_role("link", name="元树尔村委会").click()
    deadlines = page.get_by_test_id("deadlines")
    expect(deadlines).to_contain_text("选民名单公布")
    expect(deadlines).to_contain_text((today - timedelta(days=10)).isoformat())
    expect(deadlines).to_contain_text((today + timedelta(days=5)).isoformat())  # official candidates by D-5
    expect(page.get_by_test_id("election-overdue")).to_contain_text("逾期 10 天")

    # The dashboard counts the overdue villages; forming the committee and publishing the roll
    # (with the audited exception) moves the stage count and takes the village off the overdue list.
    page.get_by_test_id("nav-progress").click()
    expect(page.get_by_test_id("progress-title")).to_contain_text("大通回族土族自治县")
    expect(page.get_by_test_id("stat-overdue")).to_have_text("5")
    expect(page.get_by_test_id("overdue-list")).to_contain_text("元树尔村委会")

    page.goto(page.url.replace("/progress/630121/", "/cycles/"))
    page.get_by_role("link", name="2026年大通县村（社区）两委换届").click()
    page.get_by_test_id("cycle-elections").get_by_role("link", name="元树尔村委会").click()
    for name in ["马成林", "李秀兰", "祁永寿"]:
        page.fill("#id_name", name)
        page.get_by_role("button", name="增加").click()
        expect(page.get_by_test_id("committee")).to_contain_text(name)
    stage_form = page.get_by_test_id("stage-form")
    stage_form.locator("select").select_option("committee_formed")
    stage_form.get_by_role("button", name="推进").click()
    expect(page.get_by_test_id("election-stage")).to_have_text("选委会已推选")
    page.get_by_test_id("stage-form").locator("select").select_option("roll_published")
    page.get_by_test_id("stage-form").get_by_role("button", name="推进").click()
    expect(page.get_by_test_id("stage-form")).to_contain_text("逾期办理原因")  # refused without a reason
    page.fill("#id_exception_reason", "选委会推选延误，经乡镇同意补办")
    page.get_by_test_id("stage-form").get_by_role("button", name="推进").click()
    expect(page.get_by_test_id("election-stage")).to_have_text("选民名单公布")

    page.get_by_test_id("nav-progress").click()
    expect(page.get_by_test_id("stat-overdue")).to_have_text("4")
    row = page.locator("[data-testid=progress-table] tr[data-code='630121100']")
    expect(row).to_contain_text("桥头镇")
    page.screenshot(path="test-results/progress-county.png", full_page=True)


def test_city_user_drills_down_and_projects(page, transactional_db):
    from election_admin.services.elections import election_days_set_bulk
    from tests.cycle_helpers import open_datong_cycle

    regions, county = _users()
    cycle = open_datong_cycle(county, regions)
    election_days_set_bulk(
        actor=county,
        cycle=cycle,
        area_code="630121101",
        election_day=timezone.localdate() + timedelta(days=25),
    )
    login(page, "xining", TEST_PASSWORD)
    page.get_by_test_id("nav-progress").click()
    table = page.get_by_test_id("progress-table")
    expect(page.get_by_test_id("progress-title")).to_contain_text("西宁市")
    expect(table).to_contain_text("大通回族土族自治县")
    expect(table.locator("tr[data-code='630123']")).to_contain_text("无选举")  # zero rows are shown
    expect(table).not_to_contain_text("乐都区")  # another city

    table.get_by_role("link", name="大通回族土族自治县").click()
    expect(page.get_by_test_id("progress-title")).to_contain_text("大通回族土族自治县")
    expect(page.get_by_test_id("day-strip")).to_be_visible()
    page.get_by_test_id("progress-table").get_by_role("link", name="桥头镇").click()
    village_table = page.get_by_test_id("progress-table")
    expect(village_table).to_contain_text("元树尔村委会")
    expect(village_table.locator("tr.row-idle").first).to_be_visible()  # no activity stands out

    page.goto(f"{page.base_url}/progress/6301/projector/")
    title = page.get_by_test_id("projector-title")
    expect(title).to_contain_text("西宁市")
    assert float(title.evaluate("el => getComputedStyle(el).fontSize").rstrip("px")) >= 36
    cell = page.get_by_test_id("projector-table").locator("td").first
    assert float(cell.evaluate("el => getComputedStyle(el).fontSize").rstrip("px")) >= 24
    assert page.locator("form").count() == 0 and page.locator("meta[http-equiv=refresh]").count() == 1
    page.screenshot(path="test-results/projector-city.png")
