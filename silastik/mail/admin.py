from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutboundEmail
from .services import outbox_retry


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "template", "language"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    # The attachment is a private file, which has no URL to show: its name stands for it.
    readonly_fields = [f.name for f in OutboundEmail._meta.fields if f.name != "attachment"]
    exclude = ["attachment"]
    actions = ["retry"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if request.user.is_superuser and not (obj and obj.sensitive):
            return fields
        return [f for f in fields if f not in ("body_text", "body_html")]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Try the selected failed e-mails again"), permissions=["change"])
    def retry(self, request, queryset):
        failed = list(queryset.filter(status=OutboundEmail.Status.FAILED))
        for message in failed:
            outbox_retry(message=message)
        self.message_user(
            request,
            ngettext("%d e-mail queued again.", "%d e-mails queued again.", len(failed))
            % len(failed),
            messages.SUCCESS,
        )
