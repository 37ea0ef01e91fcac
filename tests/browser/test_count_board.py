"""Browser test of a count read out in public (唱票): the village clerk opens the box's count board and
enters ten ballots by keyboard only — one over-voted for the chair, one blank, the last taken back with
Alt+Z — the projector page shows the running totals, the board is closed into the box's tally sheet,
and the township's results are those the counting rules give for the same ballots."""

from django.utils import timezone
from playwright.sync_api import expect

from ballots import counting
from ballots.models import TallySheet
from ballots.services.board import board_setup
from election_admin.choices import Role
from election_admin.models import Election
from tests.ballots.helpers import count_village
from tests.candidate_helpers import ensure_candidate_data
from tests.factories import TEST_PASSWORD, UserFactory, make_region_tree

from .conftest import login

# (chair, vice-chair, members, members written in, blank) — candidates by name, typed as list numbers.
BALLOTS = [
    *[(["张明"], ["王芳"], ["陈静", "杨帆", "黄磊"], "", False)] * 6,
    (["赵强"], ["刘洋"], ["周敏", "吴刚"], "李四", False),
    (["张明", "赵强"], ["王芳"], ["陈静"], "", False),  # two names for one chair: void for the chair
    ([], [], [], "", True),  # blank
    (["赵强"], [], ["吴刚"], "", False),  # entered, then taken back
]


def _setup():
    ensure_candidate_data()
    regions = make_region_tree()
    county = UserFactory(username="datong", role=Role.COUNTY_BUREAU, region=regions["630121"])
    UserFactory(username="qiaotou", role=Role.TOWNSHIP_STAFF, region=regions["630121100"])
    UserFactory(username="yuanshuer", role=Role.VILLAGE_CLERK, region=regions["630121100201"])
    village = count_village(county, regions)
    Election.objects.filter(pk=village.election.pk).update(election_day=timezone.localdate())
    village.election.refresh_from_db()
    return village


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username, TEST_PASSWORD)


def test_count_board_by_keyboard(page):
    village = _setup()
    setup = board_setup(village.election)
    number = {(line.post, line.name): line.number for line in setup.lines}
    person = {(line.post, line.name): line.person for line in setup.lines}

    def typed(post, names):
        return " ".join(str(number[(post, n)]) for n in names)

    switch_user(page, "yuanshuer")
    page.goto(f"{page.base_url}/elections/{village.election.pk}/election-day/")
    page.get_by_test_id(f"board-{village.boxes[0].pk}").click()
    page.get_by_test_id("board-open-form").get_by_role("button").click()
    board_url = page.url

    for n, (chair, vice, members, written, blank) in enumerate(BALLOTS, start=1):
        expect(page.locator("#id_marks_chair")).to_be_focused()
        if blank:
            page.keyboard.press("Alt+b")
        else:
            page.keyboard.type(typed("chair", chair))
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
            page.keyboard.type(typed("vice_chair", vice))
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
            page.keyboard.type(typed("member", members))
            page.keyboard.press("Tab")
            page.keyboard.type(written)
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("count-returned")).to_have_text(str(n))
        if n == 8:  # the over-voted ballot: flagged at once, with the reason in Chinese
            expect(page.locator("[role=alert].alert-warning")).to_contain_text("作废")
            expect(page.get_by_test_id("ballot-8")).to_contain_text("部分职务作废")

    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Alt+z")
    expect(page.get_by_test_id("count-returned")).to_have_text("9")
    expect(page.get_by_test_id("ballot-10")).to_contain_text("已撤回")
    expect(page.get_by_test_id("count-invalid")).to_have_text("1")
    expect(page.get_by_test_id("void-chair")).to_contain_text("1")

    projector = page.context.new_page()
    projector.goto(board_url + "projector/")
    expect(projector.get_by_test_id("projector-returned")).to_have_text("9")
    expect(projector.get_by_test_id("projector-member")).to_contain_text("李四")
    expect(projector.get_by_test_id("projector-chair")).to_contain_text("张明")

    page.get_by_test_id("close-link").click()
    form = page.get_by_test_id("close-form")
    form.locator("#id_voted").fill("9")
    form.locator("#id_issued").fill("9")
    form.locator("#id_confirmed").check()
    page.once("dialog", lambda dialog: dialog.accept())
    form.get_by_role("button").click()
    expect(page.get_by_test_id(f"sheet-status-{village.boxes[0].pk}")).to_have_text("已核对一致")
    expect(projector.get_by_test_id("projector-closed")).to_be_visible(timeout=10_000)  # polled by htmx

    # What the counting rules give for the same ballots (all but the one taken back).
    papers = [
        counting.Ballot(
            marks={
                post: frozenset(person[(post, name)] for name in names)
                for post, names in (("chair", chair), ("vice_chair", vice), ("member", members))
                if names
            },
            write_ins={"member": (written,)} if written else {},
            is_blank=blank,
        )
        for chair, vice, members, written, blank in BALLOTS[:-1]
    ]
    expected = counting.count_ballots(papers, setup.posts, setup.rules, registered=16, voted=9, issued=9)
    sheet = TallySheet.objects.get(box=village.boxes[0])
    assert (sheet.returned, sheet.invalid, sheet.post_void) == (9, 1, {"chair": 1})
    assert sheet.votes == {f"{post}|{who}": n for (post, who), n in expected.votes.items()}
    outcome = counting.decide_winners(expected, _candidates(village), setup.posts, setup.rules)

    switch_user(page, "qiaotou")
    page.goto(f"{page.base_url}/elections/{village.election.pk}/results/")
    page.get_by_test_id("compute-form").get_by_role("button").click()
    elected = page.get_by_test_id("elected")
    expect(elected.locator("tbody tr")).to_have_count(len(outcome.elected))
    for winner in outcome.elected:
        expect(elected).to_contain_text(winner.name)


def _candidates(village):
    from ballots.services.results import election_candidates

    return election_candidates(village.election)
