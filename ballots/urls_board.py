"""URLs of the live count board (唱票)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
