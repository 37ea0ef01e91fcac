"""Account security: two-factor sign-in for county and above, the Content-Security-Policy, and a
production configuration that passes `manage.py check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from tests.factories import TEST_PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now (or in the next time step: a used code is never accepted twice)."""
    import time

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def test_county_user_turns_on_two_factor_and_must_use_it(client, county_user):
    client.force_login(county_user)
    page = client.get(reverse("two_factor"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=county_user, confirmed=False)

    wrong = client.post(reverse("two_factor"), {"token": "000000" if _code(device) != "000000" else "111111"})
    assert "动态口令不正确" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    assert not device.confirmed

    client.post(reverse("two_factor"), {"token": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(event_type="auth.two_factor_enabled", actor=county_user).exists()

    client.logout()
    without = client.post(reverse("login"), {"username": "datong", "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "6 位" in without.content.decode()

    device.refresh_from_db()
    device.throttle_reset()
    with_code = client.post(
        reverse("login"), {"username": "datong", "password": TEST_PASSWORD, "otp_token": _code(device, 1)}
    )
    assert with_code.status_code == 302
    assert client.session["_auth_user_id"] == str(county_user.pk)


def test_two_factor_is_not_offered_below_county(client, township_user):
    client.force_login(township_user)
    assert client.get(reverse("two_factor")).status_code == 403
    # and the login of an account without a device needs no code
    client.logout()
    response = client.post(reverse("login"), {"username": "qiaotou", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_pages_carry_a_csp_without_inline_scripts(client, township_user):
    client.force_login(township_user)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_scripts():
    """Every <script> in our templates loads a file: the CSP would block inline code."""
    import re

    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", path.read_text()):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        if re.search(r"\son[a-z]+=\"", path.read_text()):
            offenders.append(f"{path.relative_to(ROOT)}: inline event handler")
    assert offenders == []


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check-only" + "y" * 10,
        "ALLOWED_HOSTS": "election.example.gov.cn",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_COOKIES": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "BEHIND_TLS_PROXY": "1",
        "ID_HASH_KEY": "h" * 64,
        "ID_ENCRYPTION_KEY": "e" * 64,
        "ELECTION_ADMIN_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in the same worker
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_demo_secret_key(tmp_path):
    env = {**os.environ, "DEBUG": "0", "ELECTION_ADMIN_VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "SECRET_KEY" in result.stdout + result.stderr
    assert "ID_ENCRYPTION_KEY" in result.stdout + result.stderr
