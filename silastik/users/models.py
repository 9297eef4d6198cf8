from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .roles import BACK_OFFICE_ROLES, Role
from .validators import validate_nip, validate_phone


class IdentityType(models.TextChoices):
    KTP = "ktp", _("KTP (identity card)")
    SIM = "sim", _("SIM (driving licence)")
    PASSPORT = "passport", _("Passport")
    OTHER = "other", _("Other identity document")


class Segment(models.TextChoices):
    PRIVATE = "private", _("Private sector")
    STUDENT = "student", _("Student")
    RESEARCHER = "researcher", _("Researcher / academic")
    GOVERNMENT = "government", _("Government agency")
    GENERAL = "general", _("Individual / general public")
    INTERNATIONAL = "international", _("International organisation")


class Domicile(models.TextChoices):
    DOMESTIC = "domestic", _("In Indonesia")
    ABROAD = "abroad", _("Abroad")


class NotifyBy(models.TextChoices):
    IMMEDIATE = "immediate", _("At once, an e-mail per event")
    DAILY = "daily", _("Once a day, a digest in the morning")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username: str) -> "User":
        # Logins are by e-mail address, whatever its case.
        return self.get(email__iexact=username)

    def _create_user(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra["is_superuser"] = True
        extra.pop("is_staff", None)
        extra.setdefault("email_verified_at", timezone.now())
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        default="id",
        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
    )

    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    id_type = models.CharField(
        _("identity document"), max_length=16, choices=IdentityType.choices, blank=True
    )
    id_number = models.CharField(_("identity document number"), max_length=32, blank=True)
    segment = models.CharField(_("segment"), max_length=16, choices=Segment.choices, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    npwp = models.CharField(
        _("NPWP (tax number)"), max_length=16, blank=True, help_text=_("Digits only.")
    )
    domicile = models.CharField(
        _("domicile"), max_length=16, choices=Domicile.choices, default=Domicile.DOMESTIC
    )
    country = CountryField(_("country"), blank=True, default="ID")
    address = models.TextField(_("address"), blank=True)
    # Back-office staff: the civil servant number printed on receipts and agreements.
    nip = models.CharField(_("NIP"), max_length=18, blank=True, validators=[validate_nip])
    # Back-office people: how they are told that work has arrived (silastik.notifications).
    notify_by = models.CharField(
        _("notifications by e-mail"),
        max_length=10,
        choices=NotifyBy.choices,
        default=NotifyBy.IMMEDIATE,
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="users_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # --- roles --------------------------------------------------------------------------------
    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_pst_staff(self) -> bool:
        return self.has_role(Role.PST_STAFF)

    @property
    def is_treasurer(self) -> bool:
        return self.has_role(Role.TREASURER)

    @property
    def is_head(self) -> bool:
        return self.has_role(Role.HEAD)

    @property
    def is_national_admin(self) -> bool:
        return self.has_role(Role.NATIONAL_ADMIN)

    @property
    def is_customer(self) -> bool:
        return not self.is_superuser and not self.roles

    @property
    def is_staff(self) -> bool:
        """Admin access follows the roles, so it cannot drift from them: staff and treasurer."""
        return self.is_active and (self.is_superuser or self.has_role(*BACK_OFFICE_ROLES))

    # --- state ---------------------------------------------------------------------------------
    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def profile_missing(self) -> list[str]:
        """Names of the profile fields a customer must still fill in before ordering."""
        required = ["full_name", "phone", "id_type", "id_number", "segment", "address"]
        missing = [name for name in required if not getattr(self, name)]
        if self.segment == Segment.PRIVATE and not self.npwp:
            missing.append("npwp")
        if self.domicile == Domicile.ABROAD and (not self.country or self.country == "ID"):
            missing.append("country")
        return missing

    @property
    def is_profile_complete(self) -> bool:
        return not self.profile_missing
