"""The demo step: 桥头镇's return in the 大通县 demo cycle, sent back once and submitted again; a second run
changes nothing."""

from io import StringIO

from election_admin.demo.cycles import demo_cycle_create
from election_admin.returns.choices import ReturnStatus
from election_admin.returns.demo import demo_returns_step
from election_admin.returns.models import Return, ReturnEvent


def test_demo_return_sent_back_once_then_waiting_and_idempotent(
    county_user, township_user, regions, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    demo_cycle_create(county_user=county_user)
    out = StringIO()
    demo_returns_step(out)
    assert "第 2 版" in out.getvalue()
    versions = list(Return.objects.order_by("version").values_list("version", "status", "is_current"))
    assert versions == [(1, ReturnStatus.SENT_BACK, False), (2, ReturnStatus.SUBMITTED, True)]
    events = ReturnEvent.objects.count()
    demo_returns_step(StringIO())
    assert Return.objects.count() == 2 and ReturnEvent.objects.count() == events
