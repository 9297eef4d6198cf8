from django import forms
from django.utils.translation import gettext_lazy as _

from orders.forms import SubmitForm
from silastik.users.forms import ProfileForm


class DeskAccountForm(ProfileForm):
    """The visitor's customer account, with the profile an order needs (as the portal asks)."""

    submit_label = _("Link the account and fill the cart")

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_(
            "Required for the account: invoices, the agreement and download links go there. "
            "Ask for it if the visitor gave only a phone number."
        ),
    )
    field_order = ["email", "full_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff fill it in for the visitor: the portal's "you" would be the wrong person.
        self.fields["country"].help_text = _(
            "Where the visitor lives; customers abroad pay by bank transfer."
        )
        self.fields["language"].help_text = _("The language of the e-mails the visitor receives.")


class DeskSubmitForm(SubmitForm):
    """The online request form, with the terms accepted by the visitor in front of staff."""

    terms = forms.BooleanField(
        label=_(
            "The visitor has read and accepted the terms of purchase: the format, cost and media "
            "of the products, and for microdata and maps the data use agreement."
        ),
    )


class DeskSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Title or catalogue number"),
        max_length=200,
        required=False,
        widget=forms.SearchInput(attrs={"autofocus": True}),
    )


class ConsultationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the data do not fit what the visitor needs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
