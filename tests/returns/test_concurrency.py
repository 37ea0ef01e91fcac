"""Two clicks at the same moment (PostgreSQL, where requests really run in parallel): one version submitted,
one acceptance, one audit event each."""

import threading

import pytest
from django.db import connection

from audit.models import AuditEvent
from election_admin.returns.choices import ReturnStatus
from election_admin.returns.models import Return
from election_admin.returns.services import return_accept, return_submit

from .helpers import QIAOTOU, cycle_with_results, region


def _at_once(function, times=2):
    barrier, results, errors = threading.Barrier(times), [], []

    def run():
        try:
            barrier.wait()
            results.append(function())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_double_click_at_the_same_moment_submits_and_accepts_once(
    transactional_db, regions, township_user, county_user
):
    if connection.vendor != "postgresql":
        pytest.skip("parallel requests need a server database (CI runs this on PostgreSQL)")
    cycle = cycle_with_results(county_user, regions)
    qiaotou = region(QIAOTOU)
    results, errors = _at_once(lambda: return_submit(actor=township_user, cycle=cycle, region=qiaotou))
    assert errors == []
    assert sorted(created for _ret, created in results) == [False, True]
    assert Return.objects.filter(region_id=QIAOTOU).count() == 1
    ret = Return.objects.get(region_id=QIAOTOU)
    _results, errors = _at_once(lambda: return_accept(actor=county_user, return_obj=ret))
    assert errors == []
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.ACCEPTED
    assert AuditEvent.objects.filter(event_type="return.submitted").count() == 1
    assert AuditEvent.objects.filter(event_type="return.accepted").count() == 1
