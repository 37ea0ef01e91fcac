from playwright.sync_api import expect

from election_admin.choices import Role
from tests.factories import TEST_PASSWORD, UserFactory

from .conftest import login


def test_township_clerk_signs_in_and_reaches_own_area(page, transactional_db):
    from tests.factories import make_region_tree

    regions = make_region_tree()
    UserFactory(username="qiaotou", role=Role.TOWNSHIP_STAFF, region=regions["630121100"])

    login(page, "qiaotou", "wrong-password")
    expect(page.locator(".alert-danger, .invalid-feedback, .alert").first).to_contain_text("用户名或密码")

    login(page, "qiaotou", TEST_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_have_text("桥头镇")
    table = page.get_by_test_id("region-children")
    expect(table).to_contain_text("元树尔村委会")
    expect(table).not_to_contain_text("上毛佰胜村委会")
    page.screenshot(path="test-results/home-township.png", full_page=True)

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("h1")).to_have_text("登录")
