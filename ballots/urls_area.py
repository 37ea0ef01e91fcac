"""URLs of documents for a whole township or county (summary workbook, batch notices)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
