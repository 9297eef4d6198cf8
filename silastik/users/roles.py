"""The back-office roles. Each role is a Group with the same name as its value.

Separation of duties (docs/domain.md): PST staff cannot confirm payments and the treasurer cannot
deliver products, so one account never holds both roles.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PST_STAFF = "pst_staff", _("PST staff")
    TREASURER = "treasurer", _("Treasurer")
    HEAD = "head", _("Head of dissemination")
    NATIONAL_ADMIN = "national_admin", _("National administrator")


# Roles that work in the Django admin back office.
BACK_OFFICE_ROLES = frozenset({Role.PST_STAFF, Role.TREASURER, Role.NATIONAL_ADMIN})
# Pairs of roles that one account may not hold together.
EXCLUSIVE_ROLES = (frozenset({Role.PST_STAFF, Role.TREASURER}),)


# Model permissions per role, as "app_label.codename". Later apps add their own here.
def _manage(app_label: str, *models: str) -> list[str]:
    return [
        f"{app_label}.{verb}_{m}" for m in models for verb in ("add", "change", "delete", "view")
    ]


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PST_STAFF: [
        "users.view_user",
        *_manage(
            "catalog",
            "region",
            "subject",
            "publication",
            "dataset",
            "datafile",
            "variable",
            "category",
            "datasetattachment",
            "digitalmap",
            "tariff",
        ),
        # Orders change only through the workflow's services; these let staff open them.
        "orders.view_order",
        "orders.change_order",
        "orders.view_conversation",
        "orders.change_conversation",
        "billing.view_invoice",
        "billing.view_payment",
        "billing.view_receipt",
        # The walk-in desk: counters are kept by staff; visits change only at the desk.
        *_manage("desk", "desk"),
        "desk.view_visitor",
        "desk.view_visit",
        # Ratings change only through the follow-up services.
        "feedback.view_rating",
        "feedback.change_rating",
        # Complaints are answered and closed only through the complaint services.
        "feedback.view_complaint",
        "feedback.change_complaint",
    ],
    # The treasurer's desk: payments and invoices are changed only through billing's services.
    Role.TREASURER: [
        "users.view_user",
        "catalog.view_tariff",
        "billing.view_invoice",
        "billing.change_invoice",
        "billing.view_payment",
        "billing.change_payment",
        "billing.view_billingcode",
        "billing.view_receipt",
    ],
    Role.HEAD: [],
    # Manages the network's offices and who works where; sees national figures.
    Role.NATIONAL_ADMIN: [
        "users.view_user",
        # The outbox holds every office's mail (addresses, tracking codes): national roles only.
        "mail.view_outboundemail",
        *_manage("offices", "office", "officemembership"),
        # The tariffs are the regulation's, the same for every office.
        *_manage("catalog", "tariff"),
    ],
}


def roles_sync_permissions(**kwargs) -> None:
    """Give each role group exactly the permissions listed in ROLE_PERMISSIONS."""
    from django.contrib.auth.models import Group, Permission

    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted += Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        group.permissions.set(wanted)
