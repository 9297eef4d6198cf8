from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Domicile, IdentityType, Segment, User
from .roles import EXCLUSIVE_ROLES
from .services import (
    ADDRESS_MAX_LENGTH,
    PROFILE_FIELDS,
    password_reset_accounts,
    password_reset_request,
)
from .validators import digits_only, validate_nik, validate_npwp


class CrispyMixin:
    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class RegistrationForm(CrispyMixin, forms.Form):
    submit_label = _("Create account")

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        # An address with an account is not refused here: that would tell anyone which
        # addresses have accounts. users.services.user_register e-mails its owner instead.
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            probe = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class LoginForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True})
    )
    error_messages = {
        "invalid_login": _("The e-mail address or password is wrong."),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Log in")))


class ProfileForm(CrispyMixin, forms.ModelForm):
    address = User._meta.get_field("address").formfield(
        max_length=ADDRESS_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Wider than the stored 16 digits: people type NPWPs with dots and dashes.
    npwp = forms.CharField(
        label=_("NPWP (tax number)"),
        max_length=24,
        required=False,
        help_text=_("Required for the private sector segment: 15 or 16 digits."),
    )

    class Meta:
        model = User
        fields = PROFILE_FIELDS
        help_texts = {
            "country": _("Where you live; customers abroad pay by bank transfer."),
            "language": _("The language of the e-mails we send you."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in [
            "full_name",
            "phone",
            "id_type",
            "id_number",
            "segment",
            "domicile",
            "address",
        ]:
            self.fields[name].required = True
        self.fields["id_type"].choices = [("", "---------"), *IdentityType.choices]
        self.fields["segment"].choices = [("", "---------"), *Segment.choices]

    def clean_npwp(self) -> str:
        return digits_only(self.cleaned_data.get("npwp", ""))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("segment") == Segment.PRIVATE:
            npwp = cleaned.get("npwp")
            if not npwp:
                self.add_error("npwp", _("The private sector segment must give an active NPWP."))
            else:
                try:
                    validate_npwp(npwp)
                except ValidationError as exc:
                    self.add_error("npwp", exc)
        elif cleaned.get("npwp"):
            try:
                validate_npwp(cleaned["npwp"])
            except ValidationError as exc:
                self.add_error("npwp", exc)
        if cleaned.get("id_type") == IdentityType.KTP and cleaned.get("id_number"):
            try:
                validate_nik(cleaned["id_number"])
                cleaned["id_number"] = digits_only(cleaned["id_number"])
            except ValidationError as exc:
                self.add_error("id_number", exc)
        domicile = cleaned.get("domicile")
        if domicile == Domicile.DOMESTIC:
            cleaned["country"] = "ID"
        elif domicile == Domicile.ABROAD and (
            not cleaned.get("country") or cleaned["country"] == "ID"
        ):
            self.add_error("country", _("Choose the country you live in."))
        return cleaned


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Hands the request to users.services.password_reset_request, which looks the address up
    in a task and sends the link through the outbox, in the account's language."""

    def save(self, *, request, **kwargs) -> None:
        password_reset_request(
            email=self.cleaned_data["email"], base_url=request.build_absolute_uri("/")
        )

    def get_users(self, email):
        # Unlike Django's default, match the address whatever its case, as logins do.
        return iter(password_reset_accounts(email=email))


class SetPasswordForm(CrispyMixin, auth_forms.SetPasswordForm):
    submit_label = _("Set password")


class PasswordChangeForm(CrispyMixin, auth_forms.PasswordChangeForm):
    submit_label = _("Change password")


class ResetRequestForm(CrispyMixin, PasswordResetForm):
    submit_label = _("Send reset link")


class UserAdminForm(auth_forms.UserChangeForm):
    """Back-office form for accounts: keeps incompatible roles apart."""

    class Meta(auth_forms.UserChangeForm.Meta):
        model = User

    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        names = {g.name for g in groups} if groups is not None else set()
        for pair in EXCLUSIVE_ROLES:
            if pair <= names:
                raise ValidationError(
                    _("PST staff and treasurer are separate duties: one account cannot hold both.")
                )
        return groups


class BackOfficeProfileForm(CrispyMixin, forms.ModelForm):
    """The profile of a person of the back office: their name, phone and language, and how they
    are told of new work; the customer's identity and segment are not asked for."""

    class Meta:
        model = User
        fields = ["full_name", "phone", "language", "notify_by"]
        help_texts = {
            "language": _("The language of the e-mails we send you."),
            "notify_by": _(
                "New requests, answers, proofs and signed agreements of your office: "
                "each by its own e-mail, or all of a day in one e-mail at 07:00."
            ),
        }
        widgets = {"notify_by": forms.RadioSelect}
