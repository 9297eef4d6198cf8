"""Back office of the feedback app: the ratings and the follow-up queue, and (registered by
importing them) the complaints. An office's staff see and follow up their own office's ratings
only; another office's rating is not found."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from offices.admin import OfficeScopedAdmin
from silastik.admin_workflow import WorkflowAdmin

from .complaints import admin as complaint_admin  # noqa: F401  (registers ComplaintAdmin)
from .ikm import ELEMENTS
from .models import Rating
from .services import MESSAGE_MAX_LENGTH, follow_up_close, follow_up_reply, rating_flag


class FollowUpFilter(admin.SimpleListFilter):
    title = gettext_lazy("follow-up")
    parameter_name = "follow_up"
    CHOICES = {
        "open": (
            gettext_lazy("To follow up"),
            Q(needs_follow_up=True, follow_up_closed_at__isnull=True),
        ),
        "closed": (
            gettext_lazy("Followed up"),
            Q(needs_follow_up=True, follow_up_closed_at__isnull=False),
        ),
        "none": (gettext_lazy("No follow-up needed"), Q(needs_follow_up=False)),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _q) in self.CHOICES.items()]

    def queryset(self, request, queryset):
        if self.value() in self.CHOICES:
            return queryset.filter(self.CHOICES[self.value()][1])
        return queryset


class MessageForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Message to the customer"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=MESSAGE_MAX_LENGTH,
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=gettext_lazy("What was done"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        max_length=MESSAGE_MAX_LENGTH,
    )


@admin.register(Rating)
class RatingAdmin(OfficeScopedAdmin, WorkflowAdmin):
    list_display = [
        "rated",
        "respondent",
        "created_at",
        "channel",
        "lowest",
        "follow_up",
        "replies",
    ]
    list_filter = [FollowUpFilter, "channel", "flagged_by_staff"]
    search_fields = [
        "order__number",
        "customer__email",
        "customer__full_name",
        "visit__visitor__name",
        "visit__visitor__email",
        "comment",
    ]
    list_select_related = ["office", "order", "customer", "visit__visitor"]
    date_hierarchy = "created_at"
    detail_template = "admin/feedback/rating/detail.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Rating]:
        return super().get_queryset(request).annotate(message_count=Count("messages"))

    @admin.display(description=gettext_lazy("order or ticket"), ordering="order__number")
    def rated(self, obj: Rating) -> str:
        return obj.reference

    @admin.display(description=gettext_lazy("respondent"))
    def respondent(self, obj: Rating) -> str:
        return obj.respondent_name

    @admin.display(description=gettext_lazy("lowest score"))
    def lowest(self, obj: Rating) -> int:
        return min(obj.scores.values())

    @admin.display(description=gettext_lazy("follow-up"))
    def follow_up(self, obj: Rating) -> str:
        if not obj.needs_follow_up:
            return "—"
        if obj.follow_up_closed_at:
            return pgettext("follow-up", "Closed")
        return pgettext("follow-up", "Open")

    @admin.display(description=gettext_lazy("messages"), ordering="message_count")
    def replies(self, obj: Rating) -> int:
        return obj.message_count

    def detail_context(self, request: HttpRequest, obj: Rating, **bound) -> dict:
        return {
            "title": obj.reference,
            "rating": obj,
            # A walk-in visitor who left only a phone number cannot be written to.
            "may_email": bool(obj.respondent_email),
            "answers": [
                (element, obj.scores[element.code], element.answers[obj.scores[element.code] - 1])
                for element in ELEMENTS
            ],
            "thread": obj.messages.select_related("author", "email"),
            "may_act": request.user.is_pst_staff and self.act_allowed(request, obj),
            "message_form": bound.get("message_form") or MessageForm(),
            "close_form": bound.get("close_form") or CloseForm(),
        }

    def act(self, request: HttpRequest, obj: Rating, action: str) -> HttpResponse | str:
        by = request.user
        if action == "reply":
            form = MessageForm(request.POST)
            if not form.is_valid():
                return self._invalid(request, obj, message_form=form)
            follow_up_reply(rating=obj, by=by, text=form.cleaned_data["text"])
            return _("The message was sent to the customer.")
        if action == "close":
            form = CloseForm(request.POST)
            if not form.is_valid():
                return self._invalid(request, obj, close_form=form)
            follow_up_close(rating=obj, by=by, outcome=form.cleaned_data["outcome"])
            if obj.respondent_email:
                return _("The follow-up is closed.")
            return _("The follow-up is closed. No e-mail was sent: the visitor left none.")
        if action == "flag":
            rating_flag(rating=obj, by=by)
            return _("The rating is in the follow-up queue.")
        messages.error(request, _("Unknown action."))
        return redirect(self.change_url(obj))

    def _invalid(self, request: HttpRequest, rating: Rating, **bound) -> HttpResponse:
        messages.error(request, _("Nothing was saved: see the form."))
        return self.detail_response(request, rating, status=400, **bound)
