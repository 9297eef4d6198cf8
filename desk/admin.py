from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from offices.admin import OfficeScopedAdmin
from offices.models import Office
from offices.selectors import office_of

from .models import Desk, Visit, Visitor


class OfficeRowsAdmin(OfficeScopedAdmin):
    """An office's people see and change only their office's rows; another office's counter,
    visitor or visit is not found (404), as on the desk's own pages. National roles see every
    office's, with the office as a column and a filter."""

    def _own_or_404(self, request: HttpRequest, object_id: str) -> None:
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._own_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._own_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._own_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)


class DeskForm(forms.ModelForm):
    """The counter's number is unique within its office; an office's people do not choose the
    office (it is theirs), so the form checks the number against it before saving."""

    office_given: Office | None = None

    class Meta:
        model = Desk
        fields = ["office", "number", "name", "active"]

    def clean(self) -> dict:
        data = super().clean()
        office = data.get("office") or self.office_given or getattr(self.instance, "office", None)
        number = data.get("number")
        taken = Desk.objects.filter(office=office, number=number).exclude(pk=self.instance.pk)
        if office is not None and number is not None and taken.exists():
            self.add_error("number", _("This office already has a desk with this number."))
        return data


@admin.register(Desk)
class DeskAdmin(OfficeRowsAdmin):
    form = DeskForm
    list_display = ["number", "name", "active"]
    list_display_links = ["number"]
    list_editable = ["active"]
    list_select_related = ["office"]

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.office_given = office_of(request.user)
        return form


class ReadOnly(OfficeRowsAdmin):
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
    list_display_links = ["name"]
    list_filter = ["segment"]
    search_fields = ["name", "institution", "email", "phone"]
    list_select_related = ["office"]


@admin.register(Visit)
class VisitAdmin(ReadOnly):
    list_display = ["ticket_number", "day", "visitor", "purpose", "status", "desk", "called_at"]
    list_display_links = ["ticket_number"]

    @admin.display(description=_("ticket"), ordering="number")
    def ticket_number(self, obj: Visit) -> str:
        return obj.ticket

    # Only the counters of the visits listed, so another office's never shows as a choice.
    list_filter = ["day", "status", "purpose", ("desk", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["visitor__name", "visitor__email", "visitor__phone"]
    list_select_related = ["visitor", "desk", "office"]
    date_hierarchy = "issued_at"
    # The rating PIN is the visitor's: staff who saw it could rate their own service.
    exclude = ["pin", "pin_failures"]
