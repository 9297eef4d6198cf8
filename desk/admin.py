from django.contrib import admin

from .models import Desk, Visit, Visitor


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "active"]
    list_editable = ["active"]


class ReadOnly(admin.ModelAdmin):
    """The guest book and the queue change only at the kiosk and the desk."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Visitor)
class VisitorAdmin(ReadOnly):
    list_display = ["name", "institution", "segment", "email", "phone", "last_visit_at"]
    list_filter = ["segment"]
    search_fields = ["name", "institution", "email", "phone"]


@admin.register(Visit)
class VisitAdmin(ReadOnly):
    list_display = ["ticket", "day", "visitor", "purpose", "status", "desk", "called_at"]
    list_filter = ["day", "status", "purpose", "desk"]
    search_fields = ["visitor__name", "visitor__email", "visitor__phone"]
    list_select_related = ["visitor", "desk"]
    date_hierarchy = "issued_at"
    # The rating PIN is the visitor's: staff who saw it could rate their own service.
    exclude = ["pin", "pin_failures"]
