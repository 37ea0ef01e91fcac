"""The audit log: append-only in the database, hash-chained, verifiable, browsable by area."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import audit_record, audit_record_on_its_own
from audit.triggers import SQLITE_TRIGGERS
from audit.verification import audit_chain_verify


def _record(n, *, region_code="630121100", actor=None):
    return [
        audit_record_on_its_own(
            actor=actor,
            actor_label="test",
            event_type="staff.updated",
            region_code=region_code,
            object_repr=f"样本事件{i}",
        )
        for i in range(n)
    ]


def _forge(sql, params=()):
    """Change the table behind the triggers' back, as an attacker with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred FK checks pending before ALTER
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
            cursor.execute(sql, params)
            for statement in SQLITE_TRIGGERS:
                cursor.execute(statement)


def test_events_form_a_chain(db):
    events = _record(3)
    assert [e.sequence for e in events] == [1, 2, 3]
    assert events[0].previous_hash == "0" * 64
    assert events[1].previous_hash == events[0].hash
    assert events[2].previous_hash == events[1].hash
    assert audit_chain_verify().is_intact


def test_record_outside_a_transaction_is_refused(transactional_db):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        audit_record(actor=None, event_type="staff.updated")
    assert AuditEvent.objects.count() == 0


def test_unknown_event_type_is_refused(db):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        audit_record_on_its_own(actor=None, event_type="no.such.event")


def test_database_refuses_update_through_orm_and_sql(db):
    (event,) = _record(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="changed")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_username = 'someone else' WHERE id = %s", [event.pk]
        )
    event.refresh_from_db()
    assert event.object_repr == "样本事件0"


def test_database_refuses_delete(db):
    (event,) = _record(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1


def test_database_refuses_truncate_on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only (SQLite has DELETE, tested above)")
    _record(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 1


def test_verify_command_passes_on_untouched_log(db, capsys):
    _record(5)
    call_command("audit_verify")
    assert "已检查 5 个事件" in capsys.readouterr().out


def test_verify_command_names_the_forged_event(db):
    events = _record(5)
    _forge("UPDATE audit_auditevent SET object_repr = 'forged' WHERE sequence = %s", [events[2].sequence])
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    message = str(excinfo.value)
    assert "#3" in message
    assert "内容与其哈希不符" in message


def test_verify_command_names_a_deleted_event(db):
    _record(5)
    _forge("DELETE FROM audit_auditevent WHERE sequence = 2")
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert "#2" in str(excinfo.value)
    assert "已被删除" in str(excinfo.value)


def test_verify_command_notices_removed_tail(db):
    _record(4)
    _forge("DELETE FROM audit_auditevent WHERE sequence = 4")
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert "#4" in str(excinfo.value)


def test_recomputed_hash_does_not_hide_a_forgery(db):
    """An attacker who rewrites a row and its hash still breaks the link of the next event."""
    from audit.hashing import event_hash, hashed_fields

    events = _record(3)
    forged = AuditEvent.objects.get(sequence=2)
    forged.object_repr = "forged"
    new_hash = event_hash(previous_hash=forged.previous_hash, fields=hashed_fields(forged))
    _forge(
        "UPDATE audit_auditevent SET object_repr = 'forged', hash = %s WHERE sequence = 2",
        [new_hash],
    )
    report = audit_chain_verify()
    assert not report.is_intact
    assert report.first_broken_sequence == events[2].sequence
    assert report.problem == "link"


def test_concurrent_appends_keep_the_chain(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database (CI runs this on PostgreSQL)")
    errors = []

    def writer():
        try:
            for i in range(15):
                audit_record_on_its_own(
                    actor=None, actor_label="thread", event_type="staff.updated", object_repr=str(i)
                )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.count() == 60
    report = audit_chain_verify()
    assert report.is_intact, report


def test_signing_in_and_failing_are_recorded(client, township_user):
    from tests.factories import TEST_PASSWORD

    client.post(reverse("login"), {"username": "qiaotou", "password": "wrong"})
    client.post(reverse("login"), {"username": "qiaotou", "password": TEST_PASSWORD})
    types = list(AuditEvent.objects.order_by("sequence").values_list("event_type", "region_code"))
    assert types == [("auth.login_failed", "630121100"), ("auth.login", "630121100")]


def test_audit_page_shows_only_own_area(client, county_user, neighbour_county_user):
    _record(1, region_code="630121100")  # 大通县 桥头镇
    audit_record_on_its_own(
        actor=None,
        actor_label="x",
        event_type="staff.updated",
        region_code="630123100",
        object_repr="湟源事件",
    )
    client.force_login(county_user)
    page = client.get(reverse("audit_event_list")).content.decode()
    assert "样本事件0" in page
    assert "湟源事件" not in page
    other = AuditEvent.objects.get(region_code="630123100")
    assert client.get(reverse("audit_event_detail", args=[other.sequence])).status_code == 404


def test_audit_page_filters_by_event_type_and_date(client, county_user):
    _record(1)
    client.force_login(county_user)
    response = client.get(reverse("audit_event_list"), {"event_type": "staff.created"})
    assert "样本事件0" not in response.content.decode()
    response = client.get(reverse("audit_event_list"), {"from": "2026-13-45"})
    assert response.status_code == 200
    assert "不是有效日期" in response.content.decode()


def test_audit_page_is_closed_below_county(client, township_user):
    client.force_login(township_user)
    response = client.get(reverse("audit_event_list"))
    assert response.status_code == 403
    assert "审计日志仅向县级及以上民政部门开放" in response.content.decode()


def test_nightly_verification_runs_on_the_real_worker(celery_worker_real):
    from audit.tasks import audit_verify_chain

    _record(3)
    outcome = audit_verify_chain.delay().get(timeout=30)
    assert outcome == {"intact": True, "checked": 3, "first_broken_sequence": None, "problem": ""}
    last = AuditEvent.objects.order_by("-sequence").first()
    assert last.event_type == "audit.verified"
    assert last.after["checked"] == 3
