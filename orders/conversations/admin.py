"""Back office: the office's conversations with customers (registered from orders/admin.py).

Staff answer, with a file if needed, put a product asked about in the customer's cart, and close
the conversation when the service is complete. Another office's conversation is not found."""

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from offices.admin import OfficeScopedAdmin
from silastik.admin_workflow import WorkflowAdmin

from .forms import MessageForm, ToCartForm
from .models import Conversation
from .services import conversation_close, conversation_post, conversation_to_cart


@admin.register(Conversation)
class ConversationAdmin(OfficeScopedAdmin, WorkflowAdmin):
    list_display = [
        "subject",
        "customer",
        "order",
        "status",
        "waiting_for_office",
        "last_message_at",
    ]
    list_filter = ["status", "waiting_for_office"]
    search_fields = ["subject", "customer__email", "customer__full_name", "order__number"]
    list_select_related = ["customer", "order", "office"]
    date_hierarchy = "last_message_at"
    detail_template = "admin/orders/conversation/detail.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # customers start conversations; staff answer them

    def act_permitted(self, request: HttpRequest) -> bool:
        return request.user.is_pst_staff and self.has_change_permission(request)

    def detail_context(self, request: HttpRequest, obj: Conversation, **bound) -> dict:
        return {
            "conversation": obj,
            "thread": obj.messages.select_related("author"),
            "may_act": self.act_permitted(request) and self.act_allowed(request, obj),
            "reply_form": bound.get("reply_form") or MessageForm(),
            "cart_form": bound.get("cart_form") or ToCartForm(office_id=obj.office_id),
        }

    def act(self, request: HttpRequest, obj: Conversation, action: str) -> HttpResponse | str:
        if action == "close":
            conversation_close(conversation=obj, by=request.user)
            return _("The conversation is closed; the customer has been told.")
        form: forms.Form
        if action == "reply":
            form = MessageForm(request.POST, request.FILES)
        elif action == "cart":
            form = ToCartForm(request.POST, office_id=obj.office_id)
        else:
            raise Http404
        if not form.is_valid():
            messages.error(request, _("Nothing was saved: see the form."))
            return self.detail_response(request, obj, status=400, **{f"{action}_form": form})
        if action == "reply":
            conversation_post(
                conversation=obj,
                by=request.user,
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data["attachment"],
            )
            return _("The answer is sent to %(email)s.") % {"email": obj.customer.email}
        product = form.cleaned_data["product"]
        conversation_to_cart(conversation=obj, by=request.user, product=product)
        return _("“%(title)s” is in the customer's cart; they have been told.") % {
            "title": product.title
        }
