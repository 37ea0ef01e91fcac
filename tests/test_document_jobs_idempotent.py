"""A document job enqueued twice for the same data (a redelivered or doubled task) stores its files once."""

import pytest
from django.db.models import Count
from django.utils import timezone

from election_admin.models import Document, DocumentKind
from election_admin.supervision.models import WeeklyReport
from election_admin.supervision.tasks import weekly_report_task
from tests.supervision.helpers import datong_cycle


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_weekly_report_task_twice_stores_one_report(county_user, regions):
    datong_cycle(county_user, regions)
    day = timezone.localdate().isoformat()
    first = weekly_report_task.delay("630121", day).get()
    documents = Document.objects.filter(kind=DocumentKind.WEEKLY_REPORT)
    stored = documents.count()
    assert stored >= 1
    second = weekly_report_task.delay("630121", day).get()
    assert second == first
    assert WeeklyReport.objects.count() == 1
    assert documents.count() == stored
    # one file per format for this region and data version
    assert (
        not documents.values("region", "data_version", "content_type").annotate(n=Count("pk")).filter(n__gt=1)
    )
