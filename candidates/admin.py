"""The configurable lists of the candidates app, kept by system administrators in the admin site."""

from django.contrib import admin

from .models import Department, NegativeListItem, Occupation


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request, obj=None):
        return False  # verdicts refer to it: retire it with "in use" instead


@admin.register(NegativeListItem)
class NegativeListItemAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "needs_detail", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["code", "text"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False
