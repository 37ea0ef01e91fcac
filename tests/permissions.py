"""The permission pattern every view test reuses: anonymous / other area / own area.

    assert_scoped_get(client, url, own=township_user, other=neighbour_user)

checks that an anonymous visitor is sent to the sign-in page, a user of another area gets 404
(exactly as for a missing object, so nothing leaks), and a user of the object's own area gets 200.
"""

from django.urls import reverse

from .factories import TEST_PASSWORD


def sign_in(client, user):
    client.force_login(user)
    return client


def assert_anonymous_redirected(client, url: str) -> None:
    client.logout()
    response = client.get(url)
    assert response.status_code == 302, f"{url}: anonymous got {response.status_code}"
    assert response["Location"].startswith(reverse("login")), response["Location"]


def assert_scoped_get(client, url: str, *, own, other, contains: str | None = None) -> None:
    assert_anonymous_redirected(client, url)
    client.force_login(other)
    response = client.get(url)
    assert response.status_code == 404, f"{url}: user of another area got {response.status_code}"
    client.logout()
    client.force_login(own)
    response = client.get(url)
    assert response.status_code == 200, f"{url}: own-area user got {response.status_code}"
    if contains is not None:
        assert contains in response.content.decode(), f"{url}: {contains!r} not shown to own-area user"
    client.logout()


__all__ = ["TEST_PASSWORD", "assert_anonymous_redirected", "assert_scoped_get", "sign_in"]
