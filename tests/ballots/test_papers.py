"""选票样张 and 计票单: the ballot paper lists each post's candidates in list order with its seats and write-in
spaces, one sheet or one page per post as the rule set says, the over-vote sentence of the rule set, only
the run-off list in the run-off; the blank count sheet of a box has the tally form's figures in its order,
the candidates and the box's count staff; both are scoped downloads linked from the election-day page."""

import io
import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ballots.choices import RUNOFF_ROUND
from ballots.forms import FIGURE_FIELDS
from ballots.pdf_papers import FIGURE_TEXT, ballot_paper_of, build_ballot_paper
from ballots.services.board import board_setup
from ballots.services.election_day import ballot_box_create, count_staff_add
from ballots.services.results import results_certify, results_compute
from election_admin.choices_cycles import Stage
from election_admin.models import RuleSet
from tests.ballots.helpers import STANDING, count_village, enter_twice, good_votes
from tests.permissions import assert_scoped_get
from tests.voter_helpers import pdf_text


@pytest.fixture
def village(county_user, regions):
    return count_village(county_user, regions)


def _pages(content: bytes) -> list[str]:
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def _text(content: bytes) -> str:
    return re.sub(r"\s+", "", pdf_text(content))


def _set_rules(village, **values) -> None:
    RuleSet.objects.filter(pk=village.election.cycle.rule_set_id).update(**values)
    village.election.cycle.rule_set.refresh_from_db()


def _download(client, user, url: str) -> bytes:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


def test_ballot_paper_lists_every_post_in_list_order_with_seats_and_write_in_spaces(
    village, township_user, client
):
    content = _download(client, township_user, reverse("ballots_ballot_paper", args=[village.election.pk]))
    pages = _pages(content)
    assert len(pages) == 1  # combined (the default): one sheet for every post
    text = pages[0]
    assert "元树尔村村民委员会选举选票" in text
    assert "在赞成的候选人姓名下方空格内划“○”，反对的划“×”，弃权的不划任何符号" in text
    assert "元树尔村村民选举委员会" in text and "加盖选举委员会印章处" in text
    assert "样张" not in text  # the township prints the real ballots from it
    # Posts in counting order, each with its seats, its candidates in list order, one write-in per seat.
    sections = re.split(r"(主任（应选1名）|副主任（应选1名）|委员（应选3名）)", text)
    assert sections[1::2] == ["主任（应选1名）", "副主任（应选1名）", "委员（应选3名）"]
    body = dict(zip(sections[1::2], sections[2::2], strict=True))
    for heading, post, seats in (
        ("主任（应选1名）", "chair", 1),
        ("副主任（应选1名）", "vice_chair", 1),
        ("委员（应选3名）", "member", 3),
    ):
        names = [name for name, p in STANDING if p == post]
        positions = [body[heading].index(name) for name in names]
        assert positions == sorted(positions), f"{heading}: not in list order"
        assert body[heading].count("另选他人") == seats
    filename = quote("元树尔村村民委员会选举选票样张.pdf")
    response = client.get(reverse("ballots_ballot_paper", args=[village.election.pk]))
    assert f"filename*=UTF-8''{filename}" in response["Content-Disposition"]


def test_separate_layout_gives_one_page_per_post(village):
    _set_rules(village, ballot_layout="separate")
    paper, _round = ballot_paper_of(village.election)
    pages = _pages(build_ballot_paper(paper))
    assert len(pages) == 3
    assert [
        "主任（应选1名）" in pages[0],
        "副主任（应选1名）" in pages[1],
        "委员（应选3名）" in pages[2],
    ] == [True] * 3
    assert "赵强" in pages[0] and "赵强" not in pages[1] + pages[2]
    assert all("元树尔村村民委员会选举选票" in page and "加盖选举委员会印章处" in page for page in pages)


@pytest.mark.parametrize(
    ("overvote", "sentence"),
    [
        ("post", "每一职务所选人数不得多于应选人数，多于应选人数的，该职务的选票无效。"),
        ("ballot", "每一职务所选人数不得多于应选人数，任一职务多于应选人数的，整张选票无效。"),
    ],
)
def test_overvote_sentence_follows_the_rule_set(village, overvote, sentence):
    _set_rules(village, overvote_voids=overvote, same_person_voids="ballot")
    text = _text(build_ballot_paper(ballot_paper_of(village.election)[0]))
    assert sentence in text
    other = "整张选票无效" if overvote == "post" else "该职务的选票无效"
    assert other not in text
    assert "同一人在本选票上被选为两个以上职务的，该选票无效" in text


def test_runoff_ballot_and_count_sheet_list_only_the_runoff_people(
    village, township_user, village_clerk, client
):
    votes = {**good_votes(village), village.key("黄磊"): 5}  # one member seat left after round 1
    enter_twice(township_user, village_clerk, village.boxes[0], votes=votes)
    first = results_compute(actor=township_user, election=village.election)
    results_certify(actor=township_user, result=first, confirmed=True, today=village.election.election_day)
    village.election.refresh_from_db()
    assert village.election.stage == Stage.RUNOFF
    pool = {p["post"]: p["pool"] for p in first.outcome["plan"]["seats"] if p["seats"]}
    standing = {str(c.pk): name for name, c in village.candidates.items()}
    runoff = {standing[person] for person in pool["member"]}
    assert runoff and "陈静" not in runoff

    paper = _text(
        _download(client, township_user, reverse("ballots_ballot_paper", args=[village.election.pk]))
    )
    sheet = _text(
        _download(client, township_user, reverse("ballots_count_sheet", args=[village.boxes[0].pk]))
    )
    for text in (paper, sheet):
        assert "另行选举" in text and "委员（应选1名）" in text
        assert all(name in text for name in runoff)
        assert not any(name in text for name, _post in STANDING if name not in runoff)
        assert "主任（应选" not in text
    # One write-in space for the seat left.
    assert paper.partition("委员（应选1名）")[2].count("另选他人") == 1
    # Numbered as the live count board numbers the run-off list, so the board is typed from the paper.
    board = [line.name for line in board_setup(village.election, RUNOFF_ROUND).lines]
    assert sorted(board) == sorted(runoff)
    assert [paper.index(name) for name in board] == sorted(paper.index(name) for name in board)


def test_count_sheet_names_the_box_figures_in_form_order_candidates_and_staff(
    village, county_user, township_user, client
):
    box = village.boxes[0]
    other_box = ballot_box_create(actor=county_user, venue=box.venue, label="2号票箱")
    count_staff_add(actor=county_user, election=village.election, role="announcer", name="马唱", box=box)
    count_staff_add(actor=county_user, election=village.election, role="teller", name="牛计")  # every box
    count_staff_add(actor=county_user, election=village.election, role="scrutineer", name="羊监", box=box)
    count_staff_add(
        actor=county_user, election=village.election, role="scrutineer", name="鹿监", box=other_box
    )
    content = _download(client, township_user, reverse("ballots_count_sheet", args=[box.pk]))
    text = _text(content)
    assert "元树尔村村民委员会选举计票单" in text and "1号票箱" in text and "第一轮选举" in text
    assert list(FIGURE_TEXT) == list(FIGURE_FIELDS)  # the tally form's figures, in its order
    positions = [text.index(FIGURE_TEXT[key]) for key in FIGURE_FIELDS]
    assert positions == sorted(positions) and positions[-1] < text.index("有效票")
    names = [name for name, _post in STANDING]
    places = [text.index(name) for name in names]
    assert places == sorted(places) and places[0] > text.index("有效票")
    assert "计票（划“正”字）" in text and "另选他人" in text
    for role, name in (("唱票人", "马唱"), ("计票人", "牛计"), ("监票人", "羊监")):
        assert role in text and name in text
    assert "鹿监" not in text  # another box's scrutineer
    assert (
        f"filename*=UTF-8''{quote('元树尔村村民委员会选举计票单-1号票箱.pdf')}"
        in client.get(reverse("ballots_count_sheet", args=[box.pk]))["Content-Disposition"]
    )


def test_another_townships_user_gets_404(village, township_user, neighbour_township_user, client):
    for url in (
        reverse("ballots_ballot_paper", args=[village.election.pk]),
        reverse("ballots_count_sheet", args=[village.boxes[0].pk]),
    ):
        assert_scoped_get(client, url, own=township_user, other=neighbour_township_user)


def test_a_watching_user_of_the_area_may_print_them(village, city_user, client):
    _download(client, city_user, reverse("ballots_ballot_paper", args=[village.election.pk]))
    _download(client, city_user, reverse("ballots_count_sheet", args=[village.boxes[0].pk]))


def test_election_day_page_links_both(village, township_user, client):
    client.force_login(township_user)
    page = client.get(reverse("ballots_election_day", args=[village.election.pk])).content.decode()
    assert 'data-testid="ballot-paper-link"' in page
    assert reverse("ballots_ballot_paper", args=[village.election.pk]) in page
    box = village.boxes[0]
    assert f'data-testid="count-sheet-{box.pk}"' in page
    assert reverse("ballots_count_sheet", args=[box.pk]) in page


def test_party_branch_paper_has_one_post_and_the_party_title(village):
    village.election.body = "party_branch"  # as seen by the builder: the branch elects members only
    paper, _round = ballot_paper_of(village.election)
    pages = _pages(build_ballot_paper(paper))
    assert len(pages) == 1
    text = pages[0]
    assert "中国共产党元树尔村支部委员会选举选票" in text and "中共元树尔村支部委员会" in text
    assert "委员（应选5名）" in text and "主任（应选" not in text
    assert "所选人数不得多于应选人数，多于应选人数的，该选票无效。" in text
    assert "同一人在本选票上" not in text
    assert text.partition("委员（应选5名）")[2].count("另选他人") == 5


def test_rule_set_pages_show_the_ballot_layout(village, county_user, client):
    rule_set = village.election.cycle.rule_set
    client.force_login(county_user)
    page = client.get(reverse("ruleset_detail", args=[rule_set.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "选票样式" in text and "各职务合用一张选票" in text
