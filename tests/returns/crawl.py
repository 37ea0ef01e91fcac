"""Out-of-area values for tests/test_crawl.py: a return of 湟源县 城关镇 in the 湟源县 cycle (from
tests/cycle_helpers.huangyuan_objects), submitted through the real service."""

from tests.cycle_helpers import huangyuan_objects


def huangyuan_return(canaries):
    if "rt_return" not in canaries:
        from election_admin.models import Region, User
        from election_admin.returns.services import return_submit

        cycle = huangyuan_objects(canaries)["cycle"]
        township = User.objects.get(username="canary-huangyuan")  # township staff of 湟源县 城关镇
        canaries["rt_return"], _created = return_submit(
            actor=township, cycle=cycle, region=Region.objects.get(code="630123100"), note="CANARY-HUANGYUAN"
        )
    return canaries["rt_return"]


RETURNS_OUT_OF_AREA = {
    ("returns_region", "cycle_id"): lambda c: huangyuan_objects(c)["cycle"].pk,
    ("returns_detail", "pk"): lambda c: huangyuan_return(c).pk,
    ("returns_print", "pk"): lambda c: huangyuan_return(c).pk,
}
