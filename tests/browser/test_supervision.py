"""Browser tests of supervision: a county bureau assigns leaders to its townships in one table (a bad row is
named and nothing saved, then all saved) and sees them beside the overdue villages; township staff open a
village's election record sheet, see every step with its date or 缺, and print it."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from election_admin.choices import Role
from election_admin.supervision.services.handover import handover_record
from tests.cycle_helpers import ensure_shipped_rulesets
from tests.factories import TEST_PASSWORD, UserFactory, make_region_tree
from tests.supervision.helpers import certified, datong_cycle, yuanshuer
from tests.voter_helpers import pdf_text

from .conftest import login


def _users():
    ensure_shipped_rulesets()
    regions = make_region_tree()
    county = UserFactory(username="datong", role=Role.COUNTY_BUREAU, region=regions["630121"])
    township = UserFactory(username="qiaotou", role=Role.TOWNSHIP_STAFF, region=regions["630121100"])
    return regions, county, township


def test_county_assigns_township_leaders_in_bulk(page, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    regions, county, _township = _users()
    cycle = datong_cycle(county, regions)  # 桥头镇 votes in 10 days: its five rolls are overdue
    login(page, "datong", TEST_PASSWORD)
    page.get_by_test_id("nav-supervision").click()
    page.get_by_test_id("supervision-cycles").get_by_role("link", name=cycle.name).click()
    page.get_by_test_id("assign-county").click()
    expect(page.get_by_test_id("assign-title")).to_contain_text("县级领导包乡镇")
    rows = {
        "630121100": ("王建国", "副县长", "13897001234"),
        "630121101": ("马秀英", "县委常委", "1389700"),  # one digit short
    }
    for code, (name, title, phone) in rows.items():
        page.fill(f"input[name='county_leader-{code}-name']", name)
        page.fill(f"input[name='county_leader-{code}-title']", title)
        page.fill(f"input[name='county_leader-{code}-phone']", phone)
    page.get_by_test_id("assign-save").click()
    errors = page.get_by_test_id("assign-errors")
    expect(errors).to_contain_text("未保存任何内容")
    expect(errors).to_contain_text("第 2 行（城关镇）：“1389700”不是有效电话号码")
    expect(page.locator("input[name='county_leader-630121100-name']")).to_have_value("王建国")
    page.fill("input[name='county_leader-630121101-phone']", "13897005678")
    page.get_by_test_id("assign-save").click()
    expect(page.locator(".alert-success")).to_contain_text("新分工 2 项")
    expect(page.locator("input[name='county_leader-630121101-name']")).to_have_value("马秀英")

    # The progress dashboard names the county leader beside each overdue village of 桥头镇.
    page.get_by_test_id("nav-progress").click()
    overdue = page.get_by_test_id("overdue-list")
    expect(overdue).to_contain_text("元树尔村委会")
    expect(overdue.get_by_test_id("responsible").first).to_contain_text("包乡领导 王建国 13897001234")
    expect(page.get_by_test_id("supervision-panel")).to_contain_text(cycle.name)


def test_record_sheet_prints_every_step_with_its_date(page, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    regions, county, township = _users()
    cycle = datong_cycle(county, regions)
    day = timezone.localdate() - timedelta(days=20)
    election = certified(county, yuanshuer(cycle), day)
    handover_record(
        actor=township,
        election=election,
        audit_done_on=day - timedelta(days=40),
        audit_published_on=day - timedelta(days=36),
        seal_on=day,
        accounts_on=day + timedelta(days=3),
        files_on=day + timedelta(days=3),
        assets_on=day + timedelta(days=3),
    )
    login(page, "qiaotou", TEST_PASSWORD)
    page.goto(f"{page.base_url}/elections/{election.pk}/")
    expect(page.get_by_test_id("election-stage")).to_have_text("已完成移交")
    page.get_by_test_id("supervision-link").click()
    expect(page.get_by_test_id("record-title")).to_contain_text("元树尔村委会")
    steps = page.get_by_test_id("record-steps")
    for key, on in [
        ("departure_audit", day - timedelta(days=36)),
        ("committee", day - timedelta(days=34)),
        ("roll_published", None),  # the roll stage was moved without the voters app: nothing recorded
        ("voting", day),
        ("certified", day),
        ("handover_seal", day),
        ("handover_assets", day + timedelta(days=3)),
    ]:
        row = steps.locator(f"tr[data-step='{key}']")
        expect(row).to_contain_text(on.isoformat() if on else "缺")
    expect(steps.locator("tr[data-step='venue']")).to_contain_text("缺")
    expect(steps.locator("tr[data-step='runoff']")).to_contain_text("不需要")
    with page.expect_download() as download_info:
        page.get_by_test_id("record-print").click()
    path = download_info.value.path()
    text = pdf_text(open(path, "rb").read()).replace("\n", "").replace(" ", "")
    assert "元树尔村委会村民委员会选举纪实表" in text
    assert day.isoformat() in text and (day + timedelta(days=3)).isoformat() in text and "缺" in text
