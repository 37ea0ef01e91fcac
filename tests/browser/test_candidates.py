"""Browser test, as a new user would do it: a township clerk nominates from the roll, the county runs the
joint review with two departments failing one candidate, the nominated election committee member is
replaced by the next reserve, the margin check blocks publication until one more candidate is added, and
the list notice prints."""

from playwright.sync_api import expect

from candidates.models import Candidate, CandidateListPublication
from election_admin.choices import Role
from election_admin.models import CommitteeMember, Election
from tests.candidate_helpers import ready_village
from tests.cycle_helpers import open_datong_cycle
from tests.factories import TEST_PASSWORD, UserFactory, make_region_tree

from .conftest import login


def _setup():
    from tests.candidate_helpers import ensure_candidate_data

    ensure_candidate_data()
    regions = make_region_tree()
    county = UserFactory(username="datong", role=Role.COUNTY_BUREAU, region=regions["630121"])
    UserFactory(username="qiaotou", role=Role.TOWNSHIP_STAFF, region=regions["630121100"])
    UserFactory(
        username="gongan",
        role=Role.DEPARTMENT_REVIEWER,
        region=regions["630121"],
        department_code="public_security",
    )
    UserFactory(
        username="fayuan", role=Role.DEPARTMENT_REVIEWER, region=regions["630121"], department_code="court"
    )
    cycle = open_datong_cycle(county, regions)
    # 元树尔村: chair 1 + members 2, roll of 16 published, committee 马成林 (chair), 李秀兰, 祁永寿; reserves 张国栋, 赵玉梅
    return ready_village(county, regions, cycle=cycle, seats=(0, 2, 0)).election


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username, TEST_PASSWORD)


def nominate(page, name, post, count):
    page.get_by_test_id("nominate").click()
    page.get_by_test_id("roll-search").locator("input[name=q]").fill(name)
    page.get_by_test_id("roll-search").get_by_role("button").click()
    page.get_by_test_id(f"choose-{name}").click()
    expect(page.get_by_test_id("chosen")).to_contain_text(name)
    page.select_option("#id_post", post)
    page.select_option("#id_method", "direct")
    page.fill("#id_nominating_count", str(count))
    page.get_by_role("button", name="登记提名", exact=True).click()
    expect(page.locator("[role=alert].alert-success")).to_contain_text(name)


def confirm_and_review(page, name):
    page.get_by_test_id(f"confirm-{name}").click()
    page.select_option("#id_education", "senior")
    page.get_by_role("button", name="确认：被提名人参选").click()
    expect(page.locator("[role=alert].alert-success").first).to_contain_text(name)
    page.get_by_test_id(f"nomination-{name}").get_by_role("link", name=name).click()
    page.get_by_test_id("review-form").locator("input[value=pass]").check()
    page.get_by_test_id("review-form").get_by_role("button").click()
    expect(page.get_by_test_id("qualification")).to_contain_text("通过")
    page.get_by_role("link", name="全部候选人").click()


def open_joint_review(page, departments=("公安机关", "人民法院")):
    page.get_by_test_id("nav-candidates").click()
    expect(page.get_by_test_id("overview-table")).to_contain_text("元树尔村委会")
    page.get_by_role("link", name="联审").last.click()
    form = page.get_by_test_id("open-review-form")
    for box in form.locator("input[type=checkbox]").all():
        label = form.locator(f"label[for='{box.get_attribute('id')}']").inner_text().strip()
        if (label in departments) != box.is_checked():
            box.click()
    page.get_by_test_id("open-review").click()
    expect(page.get_by_test_id("review-status")).to_have_text("进行中")


def test_nominate_review_recuse_margin_and_print(page, transactional_db):
    election = _setup()

    # 1. The township clerk records the nomination round and nominates from the roll.
    login(page, "qiaotou", TEST_PASSWORD)
    page.goto(f"{page.base_url}/elections/{election.pk}/")
    page.get_by_test_id("candidates-link").click()
    page.get_by_test_id("nomination-round").click()
    page.fill("#id_ballots_returned", "16")
    page.check("#id_in_person_confirmed")
    page.get_by_role("button", name="保存").click()
    for name, post, count in [
        ("马成林", "chair", 8),
        ("张明", "chair", 6),
        ("王芳", "member", 9),
        ("赵强", "member", 7),
        ("刘洋", "member", 5),
    ]:
        nominate(page, name, post, count)

    # 2. Each confirms; 马成林 sits on the election committee: he leaves and the first reserve steps in.
    page.get_by_test_id("confirm-马成林").click()
    page.select_option("#id_education", "junior")
    page.get_by_role("button", name="确认：被提名人参选").click()
    expect(page.locator("[role=alert].alert-warning")).to_contain_text("马成林 已退出村民选举委员会")
    expect(page.locator("[role=alert].alert-warning")).to_contain_text("张国栋 依次递补")
    page.get_by_test_id("nomination-马成林").get_by_role("link", name="马成林").click()
    page.get_by_test_id("review-form").locator("input[value=pass]").check()
    page.get_by_test_id("review-form").get_by_role("button").click()
    page.get_by_role("link", name="全部候选人").click()
    for name in ("张明", "王芳", "赵强", "刘洋"):
        confirm_and_review(page, name)
    page.goto(f"{page.base_url}/elections/{election.pk}/")
    committee = page.get_by_test_id("committee")
    expect(committee).to_contain_text("张国栋")
    expect(committee.locator("li.text-decoration-line-through")).to_contain_text("马成林")

    # 3. The county opens the joint review with 公安 and 法院; both fail 赵强.
    switch_user(page, "datong")
    open_joint_review(page)
    review_url = page.url
    for user, ground in (("gongan", "有刑事犯罪记录（受过刑事处罚）"), ("fayuan", "正在被立案审查调查")):
        switch_user(page, user)
        expect(page.get_by_test_id("nav-joint-review")).to_be_visible()
        page.get_by_test_id("review-1").click()
        form = page.get_by_test_id("verdict-form-赵强")
        form.locator("select[name=outcome]").select_option("fail")
        form.locator("select[name=negative_item]").select_option(label=ground)
        page.get_by_test_id("save-verdict-赵强").click()
        expect(page.locator("[role=alert].alert-success")).to_contain_text("赵强")
        page.get_by_test_id("pass-remaining").click()
        expect(page.get_by_test_id("review-row-赵强")).to_contain_text("不通过")
    page.screenshot(path="test-results/joint-review-department.png", full_page=True)
    switch_user(page, "datong")
    page.goto(review_url)
    page.get_by_test_id("close-review").click()
    expect(page.locator("[role=alert].alert-warning")).to_contain_text("赵强（元树尔村委会）联审未通过")

    # 4. The margin check blocks publication: members need 3 candidates, 2 passed.
    switch_user(page, "qiaotou")
    page.goto(f"{page.base_url}/elections/{election.pk}/candidates/")
    expect(page.get_by_test_id("list-problems")).to_contain_text("委员：应选 2 名")
    page.get_by_test_id("publish-link").click()
    expect(page.get_by_test_id("publish-problems")).to_contain_text(
        "即至少 3 名；目前通过审查 2 名，还差 1 名"
    )
    page.get_by_test_id("publish-button").click()
    expect(page.get_by_test_id("publish-errors")).to_contain_text("还差 1 名")
    assert Election.objects.get(pk=election.pk).stage == "roll_published"

    # 5. One more member is nominated, reviewed, and passes a second joint review.
    page.get_by_role("link", name="返回").click()
    nominate(page, "陈静", "member", 4)
    confirm_and_review(page, "陈静")
    switch_user(page, "datong")
    open_joint_review(page)
    for code in ("public_security", "court"):
        page.get_by_test_id(f"enter-{code}").click()
        page.get_by_test_id("pass-remaining-form").locator("input[name=paper_reference]").fill(
            f"复函〔2026〕{code}"
        )
        page.get_by_test_id("pass-remaining").click()
        expect(page.locator("[role=alert].alert-success")).to_contain_text("1 名候选人通过")
    page.get_by_test_id("close-review").click()
    expect(page.locator("[role=alert].alert-success")).to_contain_text("通过 1 人")

    # 6. Published; the notice prints.
    switch_user(page, "qiaotou")
    page.goto(f"{page.base_url}/elections/{election.pk}/candidates/")
    expect(page.get_by_test_id("list-ready")).to_be_visible()
    page.get_by_test_id("publish-link").click()
    page.fill("#id_term_number", "12")
    page.get_by_test_id("publish-button").click()
    expect(page.locator("[role=alert].alert-success")).to_contain_text("正式候选人名单已公布，共 5 人")
    expect(page.get_by_test_id("election-stage")).to_have_text("正式候选人公布")
    with page.expect_download() as download_info:
        page.get_by_test_id("list-notice-download").click()
    pdf = open(download_info.value.path(), "rb").read()
    assert pdf.startswith(b"%PDF")
    publication = CandidateListPublication.objects.get()
    assert publication.document.title == "元树尔村第十二届村民委员会正式候选人名单公告"
    assert set(Candidate.objects.exclude(list_position=None).values_list("voter__name", flat=True)) == {
        "马成林",
        "张明",
        "王芳",
        "刘洋",
        "陈静",
    }
    assert not CommitteeMember.objects.get(election=election, name="马成林").is_active
    page.screenshot(path="test-results/candidates-published.png", full_page=True)
