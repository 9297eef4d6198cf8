"""The offices in the back office (superuser and national administrator), and the mixin every
other app's admin uses to keep an office's people to their own office's rows."""

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from silastik import uploads

from .models import Office, OfficeMembership
from .selectors import office_filter, office_of, user_is_national


class OfficeScopedAdmin(admin.ModelAdmin):
    """Lists, change forms, actions and search of an office's people show only their office's
    rows (another office's row is "not found"); national roles see all. `office_path` leads from
    the row to its office. A row they add or save belongs to their office."""

    office_path = "office"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return office_filter(
            super().get_queryset(request), user=request.user, path=self.office_path
        )

    # Whoever sees every office's rows sees which office each belongs to, and may choose one.
    def get_list_display(self, request: HttpRequest):
        shown = list(super().get_list_display(request))
        if self.office_path != "office" or not user_is_national(request.user) or "office" in shown:
            return shown
        return ["office", *shown]

    def get_list_filter(self, request: HttpRequest):
        filters = list(super().get_list_filter(request))
        if (
            self.office_path != "office"
            or not user_is_national(request.user)
            or "office" in filters
        ):
            return filters
        return [*filters, ("office", admin.RelatedOnlyFieldListFilter)]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # An office's people do not choose: what they add is their office's.
        if self.office_path == "office" and office_of(request.user) is not None:
            readonly.append("office")
        return readonly

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "office" and db_field.related_model is Office:
            kwargs["queryset"] = Office.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        office = office_of(request.user)
        if office is not None and self.office_path == "office":
            obj.office = office
        super().save_model(request, obj, form, change)


class MembershipInline(admin.TabularInline):
    model = OfficeMembership
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name_plural = _("people of the back office")


class OfficeForm(forms.ModelForm):
    # Checked by its content (PNG or JPEG, small) and renamed, like every upload.
    logo = uploads.SafeFileField(
        policy=uploads.LOGO,
        required=False,
        label=_("logo"),
        help_text=_("PNG or JPEG, at most 1 MB; printed beside the letterhead of documents."),
    )

    class Meta:
        model = Office
        # The admin's fieldsets name the rest.
        fields = ["logo"]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "detected_kind", None):
            uploads.image_check(logo)
            # Stored as printed: small, a PNG, no metadata.
            logo = uploads.image_redraw(
                logo, name=uploads.safe_name(kind=uploads.FileKind.PNG, original=""), max_side=600
            )
        return logo


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    form = OfficeForm

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        # An office's people read their own office's page, which their records link to (a
        # visit, an invoice); the network's list and every change stay national.
        if super().has_view_permission(request, obj):
            return True
        return obj is not None and obj == office_of(request.user)

    def save_model(self, request, obj, form, change: bool) -> None:
        replaced = form.initial.get("logo") if "logo" in form.changed_data else None
        super().save_model(request, obj, form, change)
        if replaced and replaced.name != obj.logo.name:
            # The old logo is printed on nothing any more (documents embed what they print).
            replaced.storage.delete(replaced.name)

    list_display = ["code", "name", "level", "city", "time_zone", "is_active"]
    list_filter = ["level", "time_zone", "is_active"]
    search_fields = ["code", "name", "city"]
    readonly_fields = ["level", "parent"]
    list_per_page = 100
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "level", "parent", "is_active", "time_zone"]}),
        (
            _("Address and contacts"),
            {
                "fields": [
                    "street_address",
                    "city",
                    "postal_address",
                    "phone",
                    "email",
                    "whatsapp",
                    "complaint_channels",
                ]
            },
        ),
        (
            _("Signatories"),
            {"fields": ["head_name", "head_nip", "treasurer_name", "treasurer_nip"]},
        ),
        (
            _("Transfers from abroad"),
            {"fields": ["bank_name", "bank_account_number", "bank_account_holder", "bank_swift"]},
        ),
        (
            _("State revenue (Simponi)"),
            {
                "fields": [
                    "ministry_code",
                    "echelon_code",
                    "satker_code",
                    "deposit_type",
                    "account_code",
                ]
            },
        ),
        (_("Documents"), {"fields": ["logo"]}),
        (_("Kiosk"), {"fields": ["kiosk_networks"]}),
    ]
