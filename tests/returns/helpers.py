"""Helpers for the returns tests: the 大通县 cycle, a certified election of 桥头镇 whose results can be changed
(so that today's figures differ from a submitted return), and the regions by name."""

from datetime import timedelta

from django.utils import timezone

from election_admin.models import Region
from election_admin.services.stages import election_results_record
from tests.supervision.helpers import certified, datong_cycle, yuanshuer

QIAOTOU, CHENGGUAN, DATONG, XINING = "630121100", "630121101", "630121", "6301"
RESULTS_DAY = timezone.localdate() - timedelta(days=20)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def cycle_with_results(county_user, regions):
    """The 大通县 cycle with 元树尔村 (桥头镇) certified: 1200 registered, 1080 voted."""
    cycle = datong_cycle(county_user, regions)
    certified(county_user, yuanshuer(cycle), RESULTS_DAY)
    return cycle


def change_results(actor, cycle, *, registered=1200, voted=900):
    """A correction of 元树尔村's results after a return was submitted: today's figures change."""
    return election_results_record(
        actor=actor,
        election=yuanshuer(cycle),
        registered_count=registered,
        voted_count=voted,
        filled_in_first_round=True,
        today=RESULTS_DAY,
    )
