from django.urls import reverse


def test_home_shows_own_township(client, township_user):
    client.force_login(township_user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "桥头镇" in response.content.decode()
