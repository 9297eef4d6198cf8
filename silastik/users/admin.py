from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import UserAdminForm
from .models import User
from .roles import Role

admin.site.site_header = _("Silastik back office")
admin.site.site_title = _("Silastik back office")
admin.site.index_title = _("Back office")


class RoleFilter(admin.SimpleListFilter):
    """The back-office roles by their names in the page's language (each role is a group
    named by its code: "pst_staff")."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(groups__name=self.value())
        return queryset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserAdminForm
    ordering = ["email"]
    list_display = ["email", "full_name", "segment", "domicile", "verified", "date_joined"]
    list_filter = [RoleFilter, "segment", "domicile", "is_active", "is_superuser"]
    search_fields = ["email", "full_name", "institution", "id_number", "npwp"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "language"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "phone",
                    "id_type",
                    "id_number",
                    "segment",
                    "institution",
                    "npwp",
                    "domicile",
                    "country",
                    "address",
                ]
            },
        ),
        (_("Status"), {"fields": ["is_active", "email_verified_at", "date_joined", "last_login"]}),
        (_("Back office"), {"fields": ["groups", "nip", "is_superuser", "user_permissions"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    filter_horizontal = ["groups", "user_permissions"]

    @admin.display(boolean=True, description=_("verified"))
    def verified(self, obj: User) -> bool:
        return obj.is_verified

    def has_change_permission(self, request, obj=None) -> bool:
        # Changing a back-office account's address or password is taking it over.
        if obj is not None and not request.user.is_superuser and (obj.is_superuser or obj.roles):
            return False
        return super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        if not self.has_change_permission(request, obj):
            # Whoever may only read the account gets neither its password's hash nor a link
            # to set the password that would answer 403.
            fieldsets = [
                (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
                for name, options in fieldsets
            ]
        # Only a superuser hands out roles and permissions.
        return [fs for fs in fieldsets if fs[0] != _("Back office")]
