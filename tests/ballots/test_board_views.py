"""The count board's pages: open from the box, type list numbers and names, over-voted ballot flagged with
the reason in Chinese, double submission saved once, take back, correct, projector, close; scoped."""

import re

import pytest
from django.urls import reverse

from ballots.models import BoardBallot, LiveBoard, TallySheet
from tests.ballots.helpers import count_village


@pytest.fixture
def village(county_user, regions):
    return count_village(county_user, regions)


def token(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_clerk_counts_on_the_board(client, village, village_clerk, neighbour_township_user, province_user):
    box = village.boxes[0]
    client.force_login(village_clerk)
    day = client.get(reverse("ballots_election_day", args=[village.election.pk])).content.decode()
    assert reverse("ballots_board_box", args=[box.pk]) in day
    response = client.post(reverse("ballots_board_box", args=[box.pk]))
    board = LiveBoard.objects.get(box=box)
    url = reverse("ballots_board", args=[board.pk])
    assert response.status_code == 302 and response.url == url

    page = client.get(url).content.decode()
    assert "张明" in page and "赵强" in page
    data = {"token": token(page), "marks_chair": "1", "marks_vice_chair": "1", "marks_member": "1 2 3"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same form sent twice
    assert BoardBallot.objects.filter(board=board).count() == 1

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    over = {"token": token(page), "marks_chair": "1 2", "write_ins_member": "李四"}
    followed = client.post(url, over, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "主任：所选2人，多于应选1名，该职务作废" in followed
    ballot = BoardBallot.objects.get(board=board, sequence=2)
    assert ballot.verdict["void_posts"] == ["chair"] and ballot.write_ins == {"member": ["李四"]}

    page = client.get(url).content.decode()
    bad = client.post(url, {"token": token(page), "marks_chair": "9"})
    assert bad.status_code == 200 and "9" in bad.content.decode()
    assert BoardBallot.objects.filter(board=board).count() == 2

    board.refresh_from_db()
    assert board.returned == 2 and board.post_void == {"chair": 1}
    assert client.post(reverse("ballots_board_withdraw", args=[ballot.pk])).status_code == 302
    board.refresh_from_db()
    assert board.returned == 1 and board.post_void == {}

    first = BoardBallot.objects.get(board=board, sequence=1)
    correct_url = reverse("ballots_board_correct", args=[first.pk])
    page = client.get(correct_url).content.decode()
    assert 'value="1 2 3"' in page
    client.post(correct_url, {"token": token(page), "marks_chair": "2", "marks_member": "1"})
    board.refresh_from_db()
    assert board.votes == {village.key("赵强"): 1, village.key("陈静"): 1}

    projector = client.get(reverse("ballots_board_projector", args=[board.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in projector and "赵强" in projector
    totals = client.get(reverse("ballots_board_projector_totals", args=[board.pk])).content.decode()
    assert 'data-testid="projector-returned">1<' in totals

    close_url = reverse("ballots_board_close", args=[board.pk])
    refused = client.post(close_url, {"voted": "1", "issued": "1"})
    assert refused.status_code == 200 and not TallySheet.objects.exists()
    assert client.post(close_url, {"voted": "1", "issued": "1", "confirmed": "on"}).status_code == 302
    sheet = TallySheet.objects.get(box=box)
    assert sheet.status == "agreed" and sheet.votes == board.votes

    client.force_login(province_user)  # follows the count, does not enter it
    assert client.get(reverse("ballots_board_projector", args=[board.pk])).status_code == 200
    assert client.post(url, {"token": "p", "marks_chair": "1"}).status_code == 403

    client.force_login(neighbour_township_user)
    for name, arg in [
        ("ballots_board_box", box.pk),
        ("ballots_board", board.pk),
        ("ballots_board_projector", board.pk),
        ("ballots_board_projector_totals", board.pk),
        ("ballots_board_close", board.pk),
        ("ballots_board_correct", first.pk),
    ]:
        assert client.get(reverse(name, args=[arg])).status_code == 404, name
    assert client.post(reverse("ballots_board_withdraw", args=[first.pk])).status_code == 404
