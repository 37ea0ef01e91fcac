"""Browser test of the returns up the hierarchy (逐级上报): 桥头镇 submits its return, 大通县 sends it back once
with a comment (not without one), 桥头镇 re-submits, 大通县 accepts; a later correction of the results shows
the township that its data changed and must be submitted again."""

from playwright.sync_api import expect

from election_admin.choices import Role
from tests.cycle_helpers import ensure_shipped_rulesets
from tests.factories import TEST_PASSWORD, UserFactory, make_region_tree
from tests.returns.helpers import change_results, cycle_with_results

from .conftest import login


def _open_cycle(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username, TEST_PASSWORD)
    page.get_by_test_id("nav-returns").click()
    page.get_by_test_id("open-cycle-returns").first.click()


def test_township_return_sent_back_once_then_accepted(page, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_shipped_rulesets()
    regions = make_region_tree()
    county = UserFactory(username="datong", role=Role.COUNTY_BUREAU, region=regions["630121"])
    UserFactory(username="qiaotou", role=Role.TOWNSHIP_STAFF, region=regions["630121100"])
    cycle = cycle_with_results(county, regions)

    # 桥头镇 submits.
    _open_cycle(page, "qiaotou")
    expect(page.get_by_test_id("returns-region-title")).to_contain_text("桥头镇")
    expect(page.get_by_test_id("own-return")).to_contain_text("未上报")
    page.get_by_test_id("submit-return").click()
    expect(page.locator(".alert-success")).to_contain_text("报表已上报（第 1 版）")
    expect(page.get_by_test_id("return-title")).to_contain_text("桥头镇")
    expect(page.get_by_test_id("return-figures")).to_contain_text("1080")  # 元树尔村's voters who voted

    # 大通县 sees it waiting, and 城关镇 not reported; a send-back needs a comment.
    _open_cycle(page, "datong")
    expect(page.get_by_test_id("children-summary")).to_contain_text("待审核 1 个")
    expect(page.get_by_test_id("not-reported")).to_contain_text("城关镇")
    page.locator("tr[data-code='630121100']").get_by_test_id("open-child-return").click()
    page.get_by_test_id("send-back-return").click()
    expect(page.get_by_test_id("review-form")).to_contain_text("退回前请填写审核意见")
    page.fill("textarea[name=comment]", "元树尔村参选人数与计票单不符，请核实后重新上报")
    page.get_by_test_id("send-back-return").click()
    expect(page.locator(".alert-success")).to_contain_text("报表已连同审核意见退回")
    expect(page.get_by_test_id("return-status").first).to_contain_text("已退回")

    # 桥头镇 reads the comment and submits again.
    _open_cycle(page, "qiaotou")
    own = page.get_by_test_id("own-return")
    expect(own).to_contain_text("已退回")
    expect(own.get_by_test_id("review-comment")).to_contain_text("元树尔村参选人数与计票单不符")
    page.fill("textarea[name=note]", "已核实，参选人数无误")
    page.get_by_test_id("submit-return").click()
    expect(page.locator(".alert-success")).to_contain_text("第 2 版")
    expect(page.get_by_test_id("return-history")).to_contain_text("已核实，参选人数无误")

    # 大通县 accepts version 2.
    _open_cycle(page, "datong")
    page.locator("tr[data-code='630121100']").get_by_test_id("open-child-return").click()
    expect(page.get_by_test_id("return-title")).to_contain_text("v2")
    page.get_by_test_id("accept-return").click()
    expect(page.locator(".alert-success")).to_contain_text("报表已审核通过")
    history = page.get_by_test_id("return-history")
    for step in ("上报", "已退回", "重新上报", "审核通过"):
        expect(history).to_contain_text(step)

    # A later correction of the count: the accepted return stays as it was, the township is told to re-submit.
    change_results(county, cycle, voted=900)
    _open_cycle(page, "qiaotou")
    expect(page.get_by_test_id("own-return")).to_contain_text("审核通过")
    expect(page.get_by_test_id("return-changed")).to_contain_text("数据已变化，需重新上报")
    differences = page.get_by_test_id("return-differences")
    expect(differences).to_contain_text("1080")
    expect(differences).to_contain_text("900")
    expect(page.get_by_test_id("submit-form")).to_be_visible()
