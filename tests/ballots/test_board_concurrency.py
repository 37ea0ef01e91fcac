"""Two clerks entering on the same board at the same moment (real threads, real transactions): every
ballot gets its own number, none is counted twice, and the same form sent twice at once is saved once."""

import threading

import pytest
from django.db import connection

from ballots.models import BoardBallot
from ballots.services import board as board_services
from tests.ballots.helpers import count_village

pytestmark = pytest.mark.django_db(transaction=True)


def _in_threads(work, count: int) -> list:
    errors, barrier = [], threading.Barrier(count)

    def run(n):
        try:
            barrier.wait()
            work(n)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_clerks_at_once(county_user, regions, township_user, village_clerk):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database (CI runs this on PostgreSQL)")
    village = count_village(county_user, regions)
    board = board_services.board_open(actor=village_clerk, box=village.boxes[0])
    chair = str(village.candidates["张明"].pk)
    clerks = [village_clerk, township_user]

    def enter(n):
        for k in range(5):
            board_services.board_ballot_add(
                actor=clerks[n % 2], board=board, token=f"c{n}-{k}", marks={"chair": [chair]}
            )

    assert _in_threads(enter, 2) == []
    board.refresh_from_db()
    sequences = sorted(BoardBallot.objects.filter(board=board).values_list("sequence", flat=True))
    assert sequences == list(range(1, 11))
    assert board.returned == 10 and board.votes == {village.key("张明"): 10}

    def double(n):
        board_services.board_ballot_add(actor=village_clerk, board=board, token="twice", is_blank=True)

    assert _in_threads(double, 2) == []
    board.refresh_from_db()
    assert BoardBallot.objects.filter(board=board, token="twice").count() == 1
    assert (board.returned, board.invalid) == (11, 1)
