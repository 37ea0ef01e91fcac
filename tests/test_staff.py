"""Staff management: county bureaus create and manage accounts below them, in their own area only."""

from django.urls import reverse

from audit.models import AuditEvent
from election_admin.models import User

from .permissions import assert_anonymous_redirected

NEW_PASSWORD = "Qiaotou-clerk-2026"


def _new_account(**overrides):
    data = {
        "username": "qiaotou2",
        "full_name": "李明",
        "phone": "0971-1234567",
        "role": "township_staff",
        "region": "630121100",
        "password": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def test_county_creates_township_user_in_own_area(client, county_user):
    client.force_login(county_user)
    response = client.post(reverse("staff_create"), _new_account())
    assert response.status_code == 302
    user = User.objects.get(username="qiaotou2")
    assert user.region_id == "630121100"
    assert user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(event_type="staff.created")
    assert event.actor == county_user
    assert event.region_code == "630121100"
    assert NEW_PASSWORD not in str(event.after)


def test_county_cannot_create_in_neighbour_county(client, county_user):
    client.force_login(county_user)
    response = client.post(reverse("staff_create"), _new_account(region="630123100"))
    assert response.status_code == 200
    assert "您的辖区内没有代码为 630123100 的区划" in response.content.decode()
    assert not User.objects.filter(username="qiaotou2").exists()


def test_county_cannot_give_its_own_rank(client, county_user):
    client.force_login(county_user)
    response = client.post(reverse("staff_create"), _new_account(role="county_bureau", region="630121"))
    assert response.status_code == 200
    assert not User.objects.filter(username="qiaotou2").exists()
    assert "county_bureau" not in [c[0] for c in response.context["form"].fields["role"].choices]


def test_role_must_match_region_level(client, county_user):
    client.force_login(county_user)
    response = client.post(reverse("staff_create"), _new_account(region="630121100201"))
    assert response.status_code == 200
    assert "应设在乡级区划" in response.content.decode()
    assert not User.objects.filter(username="qiaotou2").exists()


def test_weak_password_is_refused_and_nothing_saved(client, county_user):
    client.force_login(county_user)
    response = client.post(reverse("staff_create"), _new_account(password="12345678"))
    assert response.status_code == 200
    assert not User.objects.filter(username="qiaotou2").exists()
    assert not AuditEvent.objects.filter(event_type="staff.created").exists()


def test_duplicate_username(client, county_user, township_user):
    client.force_login(county_user)
    response = client.post(reverse("staff_create"), _new_account(username="qiaotou"))
    assert "用户名 qiaotou 已被使用" in response.content.decode()


def test_township_staff_cannot_manage_accounts(client, township_user):
    client.force_login(township_user)
    assert client.get(reverse("staff_list")).status_code == 403
    assert client.post(reverse("staff_create"), _new_account()).status_code == 403
    assert_anonymous_redirected(client, reverse("staff_list"))


def test_staff_list_shows_only_own_area(client, county_user, township_user, neighbour_county_user):
    client.force_login(county_user)
    page = client.get(reverse("staff_list")).content.decode()
    assert "qiaotou" in page
    assert "huangyuan" not in page


def test_editing_out_of_area_account_is_404(client, county_user, neighbour_county_user, regions):
    from tests.factories import UserFactory

    other = UserFactory(username="huangyuan-town", role="township_staff", region=regions["630123100"])
    client.force_login(county_user)
    assert client.get(reverse("staff_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("staff_toggle_active", args=[other.pk]), {"active": "0"}).status_code == 404
    assert client.get(reverse("staff_reset_password", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_deactivate_and_reactivate_are_audited(client, county_user, township_user):
    client.force_login(county_user)
    client.post(reverse("staff_toggle_active", args=[township_user.pk]), {"active": "0"})
    township_user.refresh_from_db()
    assert not township_user.is_active
    client.post(reverse("staff_toggle_active", args=[township_user.pk]), {"active": "1"})
    township_user.refresh_from_db()
    assert township_user.is_active
    assert list(
        AuditEvent.objects.filter(object_id=str(township_user.pk))
        .order_by("sequence")
        .values_list("event_type", flat=True)
    ) == ["staff.deactivated", "staff.reactivated"]


def test_cannot_manage_a_peer(client, county_user, regions):
    from tests.factories import UserFactory

    peer = UserFactory(username="datong2", role="county_bureau", region=regions["630121"])
    client.force_login(county_user)
    response = client.post(reverse("staff_toggle_active", args=[peer.pk]), {"active": "0"})
    assert response.status_code == 403
    assert "不在您的管理范围内" in response.content.decode()
    peer.refresh_from_db()
    assert peer.is_active


def test_reset_password(client, county_user, township_user):
    client.force_login(county_user)
    response = client.post(
        reverse("staff_reset_password", args=[township_user.pk]),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    township_user.refresh_from_db()
    assert township_user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(event_type="staff.password_reset").exists()


def test_edit_moves_user_to_another_township(client, county_user, township_user):
    client.force_login(county_user)
    response = client.post(
        reverse("staff_edit", args=[township_user.pk]),
        {"full_name": "王芳", "phone": "", "role": "township_staff", "region": "630121101"},
    )
    assert response.status_code == 302
    township_user.refresh_from_db()
    assert township_user.region_id == "630121101"
    event = AuditEvent.objects.get(event_type="staff.updated")
    assert event.before["region"] == "630121100"
    assert event.after["region"] == "630121101"
