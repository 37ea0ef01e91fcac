"""Out-of-area values for tests/test_crawl.py: the statistics of 湟源县's cycle and one of its elections
(tests/cycle_helpers.huangyuan_objects)."""

from tests.cycle_helpers import huangyuan_objects


def _cycle(canaries):
    return huangyuan_objects(canaries)["cycle"].pk


REPORTING_OUT_OF_AREA: dict = {
    ("statistics_election_members", "pk"): lambda c: huangyuan_objects(c)["election"].pk,
}
for _name in ("statistics_region", "statistics_villages", "statistics_people", "statistics_workbook"):
    REPORTING_OUT_OF_AREA[(_name, "cycle_id")] = _cycle
    REPORTING_OUT_OF_AREA[(_name, "code")] = "630123100"
for _name in ("statistics_villages", "statistics_people"):
    REPORTING_OUT_OF_AREA[(_name, "group")] = "committee"
REPORTING_OUT_OF_AREA[("statistics_previous_import", "cycle_id")] = _cycle
REPORTING_OUT_OF_AREA[("statistics_villages", "figure")] = "due"
REPORTING_OUT_OF_AREA[("statistics_people", "figure")] = "count"
