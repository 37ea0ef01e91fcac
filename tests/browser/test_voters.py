"""Browser tests: a township clerk's voter roll, as a new user would do it — template, an upload with typical
mistakes, the errors, the fixed file, publication, an objection and its decision, the notice and the cards;
and typing voters in from paper with the keyboard only."""

from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from election_admin.choices import Role
from tests.cycle_helpers import ensure_shipped_rulesets
from tests.factories import TEST_PASSWORD, UserFactory, make_region_tree
from tests.voter_helpers import form_committee, village_election
from tests.voters.files import make_id

from .conftest import login

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "明华英芳军平国玉兰秀海文建春红霞丽伟强敏"


def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_shipped_rulesets()
    regions = make_region_tree()
    county = UserFactory(username="datong", role=Role.COUNTY_BUREAU, region=regions["630121"])
    township = UserFactory(username="qiaotou", role=Role.TOWNSHIP_STAFF, region=regions["630121100"])
    election = village_election(county, regions, days_ahead=30)
    form_committee(township, election)
    return election


def _fill_template(template: Path, target: Path, *, with_mistakes: bool) -> None:
    """300 villagers typed into the downloaded template; with the usual mistakes if asked."""
    workbook = load_workbook(template)
    sheet = workbook["选民名单"]
    sheet.delete_rows(2)  # the example row
    for i in range(300):
        born = date(1950, 1, 1) + timedelta(days=i * 53)
        sequence = 101 + 2 * (i % 50) + (i % 2)  # odd: a man, even: a woman
        number = make_id(born, sequence)
        name = SURNAMES[i % 20] + GIVEN[i // 20 % 20] + GIVEN[i % 7]
        row = [
            name,
            "男" if sequence % 2 else "女",
            "汉族",
            number,
            born.isoformat(),
            f"{i % 6 + 1}组",
            f"元树尔村{i % 6 + 1}组{i}号",
            f"139{i:08d}",
            "户籍且居住",
            "",
            "",
        ]
        if with_mistakes:
            if i == 10:
                row[3] = number[:-1] + ("0" if number[-1] != "0" else "1")  # a digit typed wrong
            elif i == 20:
                row[1] = "女" if row[1] == "男" else "男"  # gender that contradicts the ID number
            elif i == 30:
                row[3] = make_id(timezone.localdate() - timedelta(days=365 * 17), 31)  # 17 years old
            elif i == 40:
                row[3] = make_id(date(1950, 1, 1), 101)  # the same person as row 2
            elif i == 50:
                row[8] = "寄居满一年经同意"  # no approval reference
        for column, value in enumerate(row, start=1):
            sheet.cell(row=i + 2, column=column, value=value)
    workbook.save(target)


def test_clerk_imports_publishes_handles_an_objection_and_prints(page, transactional_db, settings, tmp_path):
    election = _setup(settings, tmp_path)
    login(page, "qiaotou", TEST_PASSWORD)
    page.goto(f"{page.base_url}/elections/{election.pk}/")
    page.get_by_test_id("voter-roll-link").click()
    expect(page.get_by_test_id("page-title")).to_contain_text("选民名单")
    page.get_by_test_id("import-voters").click()

    with page.expect_download() as download:
        page.get_by_test_id("template-download").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    mistaken, fixed = tmp_path / "元树尔村选民名单.xlsx", tmp_path / "元树尔村选民名单（改）.xlsx"
    _fill_template(template, mistaken, with_mistakes=True)
    _fill_template(template, fixed, with_mistakes=False)

    page.set_input_files("input[type=file]", str(mistaken))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("count-rows")).to_have_text("300")
    expect(page.get_by_test_id("count-errors")).to_have_text("6")
    errors = page.get_by_test_id("row-errors")
    expect(errors).to_contain_text("第 12 行 公民身份号码：校验位错误")
    expect(errors).to_contain_text("第 22 行 性别：")
    expect(errors).to_contain_text("第 32 行 公民身份号码：选举日")
    expect(errors).to_contain_text("第 42 行")
    expect(errors).to_contain_text("第 52 行 批准文号：")
    with page.expect_download() as download:
        page.get_by_test_id("error-workbook").click()
    marked = tmp_path / "errors.xlsx"
    download.value.save_as(marked)
    assert load_workbook(marked).active.cell(row=1, column=12).value == "错误说明"
    page.screenshot(path="test-results/voters-import-errors.png", full_page=True)

    page.get_by_role("link", name="上传其他文件").click()
    page.set_input_files("input[type=file]", str(fixed))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("count-importable")).to_have_text("300")
    page.once("dialog", lambda dialog: dialog.accept())  # “确定导入 300 名选民吗？”
    page.get_by_test_id("confirm-import").click()  # written by a background job; the page follows it
    expect(page.get_by_test_id("import-applied")).to_contain_text("300")
    page.get_by_test_id("back-to-roll-after-import").click()
    expect(page.get_by_test_id("count-active")).to_have_text("300")

    page.get_by_test_id("publish-roll").click()
    page.get_by_test_id("publish").click()  # the notice is made in the background
    expect(page.get_by_test_id("job-progress")).to_contain_text("100%")
    page.get_by_test_id("job-progress").get_by_role("link").first.click()
    expect(page.get_by_test_id("roll-published")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("notice-download").first.click()
    notice = tmp_path / "notice.pdf"
    download.value.save_as(notice)
    assert notice.read_bytes().startswith(b"%PDF")

    page.get_by_test_id("objections").click()
    form = page.get_by_test_id("objection-form")
    form.locator("#id_kind").select_option("inclusion")
    form.locator("#id_filed_by").fill("王明明")
    form.locator("#id_voter").select_option(index=1)
    form.locator("#id_grounds").fill("此人户籍已于去年迁出本村。")
    page.get_by_test_id("file-objection").click()
    expect(page.get_by_test_id("objection-facts")).to_contain_text("王明明")
    page.get_by_label("申诉成立").check()
    page.fill("#id_decision_text", "经核实，户籍已迁出，予以除名。")
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("objection-decision")).to_contain_text("申诉成立")
    with page.expect_download() as download:
        page.get_by_test_id("decision-download").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    page.get_by_test_id("back-to-roll").click()
    expect(page.get_by_test_id("count-active")).to_have_text("299")
    page.get_by_test_id("publish-supplement").click()
    expect(page.locator(".alert-success")).to_contain_text("减少 1 人")
    page.get_by_test_id("print-cards").click()  # made in the background; the job page links to the PDF
    expect(page.get_by_test_id("job-progress")).to_contain_text("100%")
    with page.expect_download() as download:
        page.get_by_test_id("job-progress").get_by_role("link").first.click()
    cards = Path(download.value.path()).read_bytes()
    assert cards.startswith(b"%PDF")
    page.goto(f"{page.base_url}/elections/{election.pk}/voters/")
    page.screenshot(path="test-results/voters-roll-published.png", full_page=True)


def test_clerk_types_voters_from_paper_with_the_keyboard(page, transactional_db, settings, tmp_path):
    election = _setup(settings, tmp_path)
    login(page, "qiaotou", TEST_PASSWORD)
    page.goto(f"{page.base_url}/elections/{election.pk}/voters/new/")
    id_field = page.locator("#id_id_number")
    expect(id_field).to_be_focused()
    id_field.type(make_id(date(1978, 9, 14), 222))
    expect(page.locator("#id_birth_date")).to_have_value("1978-09-14")
    expect(page.locator("#id_gender")).to_have_value("female")
    page.keyboard.press("Enter")
    expect(page.locator("#id_name")).to_be_focused()
    page.keyboard.type("李秀兰")
    for _ in range(4):  # gender, birth date, ethnicity, group
        page.keyboard.press("Enter")
    expect(page.locator("#id_group")).to_be_focused()
    page.keyboard.type("三组")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".alert-success")).to_contain_text("李秀兰")
    expect(page.get_by_test_id("recent")).to_contain_text("630121********")
    expect(page.locator("#id_group")).to_have_value("三组")  # the group stays for the next person

    # the same person again: warned while typing, before saving
    page.locator("#id_id_number").type(make_id(date(1978, 9, 14), 222))
    expect(page.get_by_test_id("id-duplicate")).to_contain_text("李秀兰")
