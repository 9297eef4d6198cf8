"""The statistics offices of the national network, and who works at which."""

import ipaddress
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from silastik.users.validators import validate_nip, validate_phone

from .validators import (
    networks_parse,
    validate_account_code,
    validate_account_number,
    validate_echelon_code,
    validate_ministry_code,
    validate_networks,
    validate_office_code,
    validate_satker_code,
    validate_swift,
)

CENTRE_CODE = "0000"


def _logo_path(instance, filename: str) -> str:
    # `filename` is random already (uploads.safe_name).
    return f"offices/logos/{filename}"


class OfficeLevel(models.TextChoices):
    CENTRE = "centre", _("Centre (BPS RI)")
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency or city")


class OfficeTimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (Asia/Jakarta)")
    WITA = "Asia/Makassar", _("WITA (Asia/Makassar)")
    WIT = "Asia/Jayapura", _("WIT (Asia/Jayapura)")


def level_of(code: str) -> str:
    if code == CENTRE_CODE:
        return OfficeLevel.CENTRE
    return OfficeLevel.PROVINCE if code.endswith("00") else OfficeLevel.REGENCY


def parent_code_of(code: str) -> str | None:
    """The centre has none; a province's is the centre; a regency's is its province."""
    level = level_of(code)
    if level == OfficeLevel.CENTRE:
        return None
    return CENTRE_CODE if level == OfficeLevel.PROVINCE else code[:2] + "00"


class Office(models.Model):
    code = models.CharField(
        _("BPS code"), max_length=4, unique=True, validators=[validate_office_code]
    )
    name = models.CharField(
        _("name"), max_length=150, help_text=_("For example: BPS Kabupaten Banjarnegara")
    )
    level = models.CharField(_("level"), max_length=10, choices=OfficeLevel.choices, editable=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent office"),
        editable=False,
    )
    is_active = models.BooleanField(_("active"), default=True)

    # Where and how to reach it.
    street_address = models.CharField(_("street address"), max_length=300)
    city = models.CharField(
        _("city"), max_length=100, help_text=_("For the “place, date” line of documents.")
    )
    postal_address = models.TextField(
        _("address for signed agreements"),
        blank=True,
        help_text=_("Where customers post the two signed originals of the SPPD; empty: above."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"))
    whatsapp = models.CharField(
        _("WhatsApp"), max_length=30, blank=True, validators=[validate_phone]
    )
    time_zone = models.CharField(
        _("time zone"), max_length=20, choices=OfficeTimeZone.choices, default=OfficeTimeZone.WIB
    )
    complaint_channels = models.TextField(
        _("complaint channels"),
        blank=True,
        help_text=_("Besides this portal's form: a suggestion box, a website, an e-mail address."),
    )
    kiosk_networks = models.TextField(
        _("kiosk networks"),
        blank=True,
        validators=[validate_networks],
        help_text=_(
            "Networks of the entrance tablets, e.g. 10.33.4.0/24; the guest book and the "
            "kiosk's rating form answer only there. Empty: anywhere."
        ),
    )

    # The receiving treasurer's account, for transfers from abroad.
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account_number = models.CharField(
        _("account number"), max_length=30, blank=True, validators=[validate_account_number]
    )
    bank_account_holder = models.CharField(_("account holder"), max_length=150, blank=True)
    bank_swift = models.CharField(
        _("SWIFT/BIC"), max_length=11, blank=True, validators=[validate_swift]
    )

    # What Simponi needs to book the office's state revenue (PNBP).
    ministry_code = models.CharField(
        _("ministry code"), max_length=3, default="054", validators=[validate_ministry_code]
    )
    echelon_code = models.CharField(
        _("echelon-I code"), max_length=2, blank=True, validators=[validate_echelon_code]
    )
    satker_code = models.CharField(
        _("work-unit (satker) code"), max_length=6, blank=True, validators=[validate_satker_code]
    )
    deposit_type = models.CharField(
        _("deposit type"),
        max_length=100,
        blank=True,
        default="PNBP Fungsional",
        help_text=_("As Simponi names the kind of revenue, printed on invoices and receipts."),
    )
    account_code = models.CharField(
        _("revenue account code"),
        max_length=6,
        blank=True,
        validators=[validate_account_code],
        help_text=_("The account (kode akun) the office books its product sales to."),
    )

    # The office's own mark beside "BADAN PUSAT STATISTIK" on its documents (optional).
    logo = models.FileField(_("logo"), upload_to=_logo_path, blank=True)

    # Who signs.
    head_name = models.CharField(_("head of office"), max_length=150, blank=True)
    head_nip = models.CharField(
        _("head of office's NIP"), max_length=18, blank=True, validators=[validate_nip]
    )
    treasurer_name = models.CharField(_("receiving treasurer"), max_length=150, blank=True)
    treasurer_nip = models.CharField(
        _("receiving treasurer's NIP"), max_length=18, blank=True, validators=[validate_nip]
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs) -> None:
        # The level and the parent follow from the code; they are never typed.
        self.level = level_of(self.code)
        parent = parent_code_of(self.code)
        self.parent = Office.objects.filter(code=parent).first() if parent else None
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.bank_account_number and not (self.bank_name and self.bank_account_holder):
            errors["bank_account_holder"] = _(
                "Give the bank and the account holder with the account number."
            )
        if self.head_name and not self.head_nip:
            errors["head_nip"] = _("The head of office signs with a NIP.")
        if self.treasurer_name and not self.treasurer_nip:
            errors["treasurer_nip"] = _("The receiving treasurer signs with a NIP.")
        if self.code and self.code != CENTRE_CODE:
            parent = parent_code_of(self.code)
            if parent and not Office.objects.filter(code=parent).exclude(pk=self.pk).exists():
                errors["code"] = _(
                    "Add the office %(parent)s first: it is this office's parent."
                ) % {"parent": parent}
        if errors:
            raise ValidationError(errors)

    @property
    def region_code(self) -> str:
        """The BPS region the office serves (catalog regions): "" for the whole country."""
        if self.level == OfficeLevel.CENTRE:
            return ""
        return self.code[:2] if self.level == OfficeLevel.PROVINCE else self.code

    @property
    def address(self) -> str:
        return self.street_address

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def agreement_address(self) -> str:
        return self.postal_address or f"{self.name}, {self.street_address}"

    @property
    def has_transfer_account(self) -> bool:
        return bool(self.bank_account_number and self.bank_swift)

    def kiosk_network_list(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(n, strict=False) for n in networks_parse(self.kiosk_networks)]


class OfficeMembership(models.Model):
    """The office a back-office account (staff, treasurer, head) works at. Customers have none:
    they order from any office."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="office_membership",
        verbose_name=_("account"),
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="members", verbose_name=_("office")
    )

    class Meta:
        verbose_name = _("office membership")
        verbose_name_plural = _("office memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.office.code}"


class NumberSequence(models.Model):
    """Gap-free numbers per kind, office and year (invoices, receipts), or national per kind
    and year (orders, office empty); taken under a row lock (offices.services.number_next)."""

    kind = models.CharField(max_length=20)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, null=True, blank=True)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "office", "year"], name="offices_sequence_per_office"
            ),
            models.UniqueConstraint(
                fields=["kind", "year"],
                condition=models.Q(office__isnull=True),
                name="offices_sequence_national",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.office_id or '-'} {self.year}: {self.last}"
