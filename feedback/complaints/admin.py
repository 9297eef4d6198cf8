"""Back office: complaints (registered from feedback/admin.py).

A complaint is never edited in a form: staff answer and close it through the services, and the
attachment is opened only through a view that checks the role. An office's staff see only the
complaints addressed to their office; another office's complaint is not found.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.admin import OfficeScopedAdmin
from offices.selectors import office_of
from silastik import uploads
from silastik.admin_workflow import WorkflowAdmin
from silastik.errors import ApplicationError
from silastik.files import private_file_response
from silastik.storage import private_storage

from .forms import AnswerForm, CloseForm, ComplaintRecordForm
from .models import Complaint
from .services import complaint_answer, complaint_close, complaint_record

ACTION_FORMS: dict[str, type[forms.Form]] = {"answer": AnswerForm, "close": CloseForm}


@admin.register(Complaint)
class ComplaintAdmin(OfficeScopedAdmin, WorkflowAdmin):
    list_display = [
        "code",
        "category",
        "channel",
        "status",
        "contact_email",
        "order",
        "created_at",
        "answered_at",
        "replies",
    ]
    list_filter = ["status", "category", "channel"]
    change_list_template = "admin/feedback/complaint/change_list.html"
    search_fields = ["code", "contact_email", "contact_name"]
    list_select_related = ["order", "office"]
    date_hierarchy = "created_at"
    detail_template = "admin/feedback/complaint/detail.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Complaint]:
        # The detail page names the office, the order and the filer's account.
        return (
            super()
            .get_queryset(request)
            .select_related("office", "order", "submitted_by")
            .annotate(message_count=Count("messages"))
        )

    @admin.display(description=gettext_lazy("messages"), ordering="message_count")
    def replies(self, obj: Complaint) -> int:
        return obj.message_count

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Whoever may not see complaints learns nothing, not even whether this one exists.
        if not self.has_view_permission(request):
            raise PermissionDenied
        return super().change_view(request, object_id, form_url, extra_context)

    def act_permitted(self, request: HttpRequest) -> bool:
        return request.user.is_pst_staff and self.has_change_permission(request)

    def detail_context(self, request: HttpRequest, obj: Complaint, **bound) -> dict:
        return {
            "complaint": obj,
            "thread": obj.messages.select_related("author"),
            "may_act": self.act_permitted(request) and self.act_allowed(request, obj),
            "answer_form": bound.get("answer_form") or AnswerForm(),
            "close_form": bound.get("close_form") or CloseForm(),
        }

    def act(self, request: HttpRequest, obj: Complaint, action: str) -> HttpResponse | str:
        if action not in ACTION_FORMS:
            raise Http404
        form = ACTION_FORMS[action](request.POST)
        if not form.is_valid():
            messages.error(request, _("Nothing was saved: see the form."))
            return self.detail_response(request, obj, status=400, **{f"{action}_form": form})
        if action == "answer":
            complaint_answer(complaint=obj, by=request.user, text=form.cleaned_data["text"])
            if not obj.contact_email:
                return _(
                    "The answer is on the complaint's page: the filer reads it with the "
                    "code %(code)s."
                ) % {"code": obj.code}
            return _("The answer was sent to %(email)s.") % {"email": obj.contact_email}
        complaint_close(complaint=obj, by=request.user, note=form.cleaned_data["note"])
        return _("The complaint is closed.")

    def workflow_urls(self) -> list[URLPattern]:
        return [
            path(
                "record/",
                self.admin_site.admin_view(self.record_view),
                name="feedback_complaint_record",
            ),
            path(
                "<int:pk>/attachment/",
                self.admin_site.admin_view(self.attachment_view),
                name="feedback_complaint_attachment",
            ),
        ]

    def record_view(self, request: HttpRequest) -> HttpResponse:
        """Enter a complaint received in the suggestion box, by e-mail, WhatsApp, telephone or
        LAPOR!, for the staff member's own office."""
        office = office_of(request.user)
        if not self.act_permitted(request) or office is None:
            raise PermissionDenied
        form = ComplaintRecordForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                complaint = complaint_record(office=office, by=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("The complaint is entered with tracking code %(code)s: give it to the filer.")
                    % {"code": complaint.code},
                )
                return redirect("admin:feedback_complaint_change", complaint.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Enter a complaint received elsewhere"),
            "form": form,
            "office": office,
        }
        return TemplateResponse(
            request,
            "admin/feedback/complaint/record.html",
            context,
            status=400 if form.is_bound else 200,
        )

    def attachment_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The filer's file, for staff only; it has no public address."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        # Another office's complaint is not found, as on its page.
        complaint = get_object_or_404(self.get_queryset(request), pk=pk)
        if not complaint.attachment:
            raise Http404
        with private_storage().open(complaint.attachment.name, "rb") as file:
            kind = uploads.sniff(file)
        # Only what the sniffer recognised is shown in the browser; anything else is downloaded.
        return private_file_response(
            name=complaint.attachment.name,
            filename=complaint.attachment_name or complaint.attachment.name.rsplit("/", 1)[-1],
            content_type=kind.content_type if kind else "application/octet-stream",
            attachment=kind is None,
        )
