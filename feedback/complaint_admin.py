"""Back office: complaints (registered from feedback/admin.py).

A complaint is never edited in a form: staff answer and close it through the services, and the
attachment is opened only through a view that checks the role.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silastik import uploads
from silastik.storage import private_storage

from .complaint_forms import AnswerForm, CloseForm
from .complaints import ComplaintError, complaint_answer, complaint_close
from .models import Complaint


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "category",
        "status",
        "contact_email",
        "order",
        "created_at",
        "answered_at",
        "replies",
    ]
    list_filter = ["status", "category"]
    search_fields = ["code", "contact_email", "contact_name"]
    list_select_related = ["order"]
    date_hierarchy = "created_at"
    change_form_template = "admin/feedback/complaint/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(message_count=Count("messages"))

    @admin.display(description=gettext_lazy("messages"), ordering="message_count")
    def replies(self, obj: Complaint) -> int:
        return obj.message_count

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/act/<slug:action>/", wrap(self.act_view), name="feedback_complaint_act"),
            path(
                "<int:pk>/attachment/",
                wrap(self.attachment_view),
                name="feedback_complaint_attachment",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if not str(object_id).isdigit():
            raise Http404
        complaint = get_object_or_404(
            self.get_queryset(request).select_related("order", "submitted_by"), pk=object_id
        )
        context = self._context(request, complaint)
        return TemplateResponse(request, self.change_form_template, context)

    def _may_act(self, request, complaint: Complaint | None = None) -> bool:
        return request.user.is_pst_staff and self.has_change_permission(request, complaint)

    def _context(self, request, complaint: Complaint, **bound) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": complaint.code,
            "complaint": complaint,
            "thread": complaint.messages.select_related("author"),
            "may_act": self._may_act(request, complaint),
            "answer_form": bound.get("answer_form") or AnswerForm(),
            "close_form": bound.get("close_form") or CloseForm(),
        }

    def act_view(self, request, pk: int, action: str):
        # The role first: whoever may not act learns nothing, not even whether the complaint exists.
        if not self._may_act(request):
            raise PermissionDenied
        complaint = get_object_or_404(Complaint, pk=pk)
        if request.method != "POST":
            return redirect("admin:feedback_complaint_change", pk)
        forms = {"answer": AnswerForm, "close": CloseForm}
        if action not in forms:
            raise Http404
        form = forms[action](request.POST)
        if not form.is_valid():
            messages.error(request, _("Nothing was saved: see the form."))
            context = self._context(request, complaint, **{f"{action}_form": form})
            return TemplateResponse(request, self.change_form_template, context, status=400)
        try:
            if action == "answer":
                complaint_answer(
                    complaint=complaint, by=request.user, text=form.cleaned_data["text"]
                )
                messages.success(
                    request,
                    _("The answer was sent to %(email)s.") % {"email": complaint.contact_email},
                )
            else:
                complaint_close(
                    complaint=complaint, by=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("The complaint is closed."))
        except ComplaintError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("admin:feedback_complaint_change", args=[pk]))

    def attachment_view(self, request, pk: int):
        """The filer's file, for staff only; it has no public address."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        complaint = get_object_or_404(Complaint, pk=pk)
        if not complaint.attachment:
            raise Http404
        with private_storage().open(complaint.attachment.name, "rb") as file:
            kind = uploads.sniff(file)
        response = FileResponse(
            private_storage().open(complaint.attachment.name, "rb"),
            content_type=kind.content_type if kind else "application/octet-stream",
        )
        filename = complaint.attachment_name or complaint.attachment.name.rsplit("/", 1)[-1]
        # Only what the sniffer recognised is shown in the browser; anything else is downloaded.
        response["Content-Disposition"] = content_disposition_header(kind is None, filename)
        return response
