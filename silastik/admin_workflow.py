"""Back-office pages for records that only services change, with workflow buttons.

Orders, payments, invoices, ratings and complaints are never edited as forms: staff press a
button ("Approve", "Confirm the transfer", "Answer") that posts to `<pk>/act/<action>/`, the
page's service does the move, and the page shows the outcome. This mixin holds what those
pages share: the act URL (named `<app>_<model>_act`), the checks before a move, the
translation of an ApplicationError into a message, read-only records (no add, no delete) and
the detail page.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from .errors import ApplicationError


class WorkflowAdmin(admin.ModelAdmin):
    # A page of its own (the order's, the rating's); None keeps Django's read-only change form
    # with detail_context() added to it (invoices, payments).
    detail_template: str | None = None

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    # --- what subclasses give ---------------------------------------------------------------

    def detail_context(self, request: HttpRequest, obj, **bound) -> dict:
        """The detail page's context; `bound` carries forms that failed, to show their errors."""
        return {}

    def act(self, request: HttpRequest, obj, action: str) -> HttpResponse | str | None:
        """Do one move through its service. Return a success message, a response of its own
        (a form shown again with errors), or None for the plain "Done."."""
        raise Http404

    def act_permitted(self, request: HttpRequest) -> bool:
        """Checked before the record is looked up: whoever may not act learns nothing."""
        return True

    def act_allowed(self, request: HttpRequest, obj) -> bool:
        return self.has_change_permission(request, obj)

    def workflow_urls(self) -> list[URLPattern]:
        """More pages of the record (an attachment, a proof)."""
        return []

    # --- the machinery ----------------------------------------------------------------------

    def get_urls(self) -> list:
        opts = self.model._meta
        act = self.admin_site.admin_view(self.act_view)
        return [
            path(
                "<int:pk>/act/<slug:action>/", act, name=f"{opts.app_label}_{opts.model_name}_act"
            ),
            *self.workflow_urls(),
            *super().get_urls(),
        ]

    def change_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    def workflow_object(self, request: HttpRequest, object_id):
        if not str(object_id).isdigit():
            raise Http404
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.workflow_object(request, object_id)
        if self.detail_template is None:
            # Django's change form checks the permission itself.
            context = {**(extra_context or {}), **self.detail_context(request, obj)}
            return super().change_view(request, object_id, form_url, context)
        if not self.has_view_permission(request, obj):
            return redirect("admin:index")
        return self.detail_response(request, obj)

    def detail_response(
        self, request: HttpRequest, obj, *, status: int = 200, **bound
    ) -> TemplateResponse:
        assert self.detail_template is not None, "set detail_template for a page of its own"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(obj),
            **self.detail_context(request, obj, **bound),
        }
        return TemplateResponse(request, self.detail_template, context, status=status)

    def act_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if not self.act_permitted(request):
            raise PermissionDenied
        obj = self.workflow_object(request, pk)
        if request.method != "POST" or not self.act_allowed(request, obj):
            return redirect(self.change_url(obj))
        try:
            outcome = self.act(request, obj, action)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            if isinstance(outcome, HttpResponse):
                return outcome
            messages.success(request, outcome or _("Done."))
        return redirect(self.change_url(obj))
