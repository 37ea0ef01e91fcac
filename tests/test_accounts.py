"""Sign-in, lockout, expired sessions, the admin site and password change."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import TEST_PASSWORD


def test_wrong_password_gets_a_chinese_message(client, township_user):
    response = client.post(reverse("login"), {"username": "qiaotou", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_deactivated_account_cannot_sign_in(client, township_user):
    township_user.is_active = False
    township_user.save()
    response = client.post(reverse("login"), {"username": "qiaotou", "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_lockout_after_repeated_failures(client, township_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "qiaotou", "password": "wrong"})
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "qiaotou", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event_type="auth.login_failed").count() >= settings.AXES_FAILURE_LIMIT


def test_page_without_session_sends_to_login_with_explanation(client, township_user):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    login_page = client.get(response["Location"])
    assert "登录已过期" in login_page.content.decode()


def test_session_expires(client, township_user, settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    client.force_login(township_user)
    client.cookies["sessionid"] = "expired-or-forged"
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change_is_audited(client, township_user):
    client.force_login(township_user)
    new = "a-new-password-for-qiaotou"
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    township_user.refresh_from_db()
    assert township_user.check_password(new)
    assert AuditEvent.objects.filter(event_type="auth.password_changed", actor=township_user).exists()


def test_password_change_rejects_weak_password_in_chinese(client, township_user):
    client.force_login(township_user)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "密码" in response.content.decode()
    township_user.refresh_from_db()
    assert township_user.check_password(TEST_PASSWORD)


def test_admin_is_not_at_admin(client, system_admin):
    client.force_login(system_admin)
    assert client.get("/admin/").status_code == 404


@pytest.mark.parametrize("who", ["county_user", "province_user"])
def test_admin_site_only_for_system_administrators(client, request, who, system_admin, settings):
    url = "/" + settings.ADMIN_URL_PATH
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == 302  # sent to the admin login: not theirs
    client.force_login(system_admin)
    assert client.get(url).status_code == 200


def test_logout_is_post_only_and_audited(client, township_user):
    client.force_login(township_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(event_type="auth.logout").exists()


def test_language_can_switch_to_english(client, township_user):
    client.force_login(township_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "My area" in client.get(reverse("home")).content.decode()


def test_english_browser_still_gets_chinese(client, township_user):
    client.force_login(township_user)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "我的辖区" in page
