"""Back office: the ratings and the follow-up queue (registered from feedback/admin.py)."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from . import services
from .ikm import ELEMENTS
from .models import Rating
from .services import MESSAGE_MAX_LENGTH, FeedbackError


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
class RatingAdmin(admin.ModelAdmin):
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
    list_select_related = ["order", "customer", "visit__visitor"]
    date_hierarchy = "created_at"
    change_form_template = "admin/feedback/rating/detail.html"

    def get_queryset(self, request):
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

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        act = self.admin_site.admin_view(self.act_view)
        return [
            path("<int:pk>/act/<slug:action>/", act, name="feedback_rating_act"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        rating = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, rating):
            return redirect("admin:index")
        return TemplateResponse(request, self.change_form_template, self._context(request, rating))

    def _context(self, request, rating: Rating, **bound) -> dict:
        may_act = request.user.is_pst_staff and self.has_change_permission(request, rating)
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": rating.reference,
            "rating": rating,
            # A walk-in visitor who left only a phone number cannot be written to.
            "may_email": bool(rating.respondent_email),
            "answers": [
                (
                    element,
                    rating.scores[element.code],
                    element.answers[rating.scores[element.code] - 1],
                )
                for element in ELEMENTS
            ],
            "thread": rating.messages.select_related("author", "email"),
            "may_act": may_act,
            "message_form": bound.get("message_form") or MessageForm(),
            "close_form": bound.get("close_form") or CloseForm(),
        }

    def act_view(self, request, pk: int, action: str):
        rating = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, rating):
            return redirect("admin:feedback_rating_change", pk)
        by = request.user
        try:
            if action == "reply":
                form = MessageForm(request.POST)
                if not form.is_valid():
                    return self._invalid(request, rating, message_form=form)
                services.follow_up_reply(rating=rating, by=by, text=form.cleaned_data["text"])
                messages.success(request, _("The message was sent to the customer."))
            elif action == "close":
                form = CloseForm(request.POST)
                if not form.is_valid():
                    return self._invalid(request, rating, close_form=form)
                services.follow_up_close(rating=rating, by=by, outcome=form.cleaned_data["outcome"])
                if rating.respondent_email:
                    messages.success(request, _("The follow-up is closed."))
                else:
                    messages.success(
                        request,
                        _("The follow-up is closed. No e-mail was sent: the visitor left none."),
                    )
            elif action == "flag":
                services.rating_flag(rating=rating, by=by)
                messages.success(request, _("The rating is in the follow-up queue."))
            else:
                messages.error(request, _("Unknown action."))
        except FeedbackError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("admin:feedback_rating_change", args=[pk]))

    def _invalid(self, request, rating: Rating, **bound):
        messages.error(request, _("Nothing was saved: see the form."))
        context = self._context(request, rating, **bound)
        return TemplateResponse(request, self.change_form_template, context, status=400)
