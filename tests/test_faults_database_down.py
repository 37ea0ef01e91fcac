"""Fault (#8-5): the database connection lost in the middle of a save (PostgreSQL restarting) answers a
503 page in Chinese saying nothing was saved — not the 500 page — and nothing half-saved remains.
The whole scenario against a real restart is ``scripts/faults/postgres_restart.py`` (docs/operations.md)."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from ballots.models import TallyEntry, TallySheet
from ballots.selectors import vote_lines
from tests.ballots.helpers import FIGURES, count_village, good_votes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_save_that_loses_the_database_says_so_and_saves_nothing(
    client, county_user, regions, township_user, monkeypatch
):
    import ballots.services.tally as tally

    village = count_village(county_user, regions)
    original = tally._sheet_locked

    def connection_lost(box, round_number):
        original(box, round_number)  # the sheet row is written in the same transaction …
        raise OperationalError("server closed the connection unexpectedly")  # … then the server goes away

    monkeypatch.setattr(tally, "_sheet_locked", connection_lost)
    data = {**{k: str(v) for k, v in FIGURES.items()}, "expected_version": ""}
    votes = good_votes(village)
    data.update({line.field: str(votes.get(line.key, 0)) for line in vote_lines(village.election)})
    client.force_login(township_user)
    response = client.post(reverse("ballots_tally_entry", args=[village.boxes[0].pk]), data)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "数据库暂时不可用" in page and "本页内容未保存" in page and "系统出错了" not in page
    assert (
        not TallyEntry.objects.exists() and not TallySheet.objects.exists()
    )  # rolled back, nothing half-saved


def test_other_errors_still_go_to_the_500_page(rf):
    from election_admin.health import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(rf.get("/"), ValueError("a bug")) is None
    assert middleware.process_exception(rf.get("/"), OperationalError("gone")).status_code == 503
