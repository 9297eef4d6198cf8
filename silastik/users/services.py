"""Everything that changes an account."""

import secrets

from axes.utils import reset as axes_reset
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from silastik.errors import ApplicationError
from silastik.mail.services import email_queue

from .models import User

VERIFY_SALT = "silastik.users.email-verification"
# The customer's profile: what an order needs, as the profile page and the desk ask for it.
PROFILE_FIELDS = (
    "full_name",
    "phone",
    "id_type",
    "id_number",
    "segment",
    "institution",
    "npwp",
    "domicile",
    "country",
    "address",
    "language",
)


class AccountExistsError(ApplicationError):
    """The e-mail address has an account already (made a moment ago, perhaps elsewhere)."""


def email_verification_token(*, user: User) -> str:
    # The address is part of the token, so a link stops working when the address changes.
    return signing.dumps({"id": user.pk, "email": user.email}, salt=VERIFY_SALT)


def email_verification_send(*, user: User, base_url: str) -> None:
    token = email_verification_token(user=user)
    link = base_url.rstrip("/") + reverse("users:verify", kwargs={"token": token})
    days = settings.EMAIL_VERIFICATION_MAX_AGE.days
    email_queue(
        to=user.email,
        template="verify_email",
        context={"user": user, "link": link, "days": days},
        language=user.language,
        sensitive=True,
    )


def customer_account_create(
    *,
    email: str,
    full_name: str,
    language: str = "",
    password: str | None = None,
    verified: bool = False,
    **profile: str,
) -> User:
    """A customer's account, the one way every channel makes one (registration, the desk).

    Without a password it gets a random one nobody knows, still a usable one: its owner chooses
    their own with a password-reset link, which serves only accounts with a usable password.
    `verified` is for an address someone checked already (staff at the desk); the caller sends
    the e-mail that fits (verification, welcome). AccountExistsError when the address is taken,
    e.g. a moment ago by a second click or another channel; nothing was changed then."""
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not a profile field: {', '.join(sorted(unknown))}")
    fields: dict[str, object] = {"full_name": full_name, **profile}
    if language:
        fields["language"] = language
    if verified:
        fields["email_verified_at"] = timezone.now()
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email,
                password=secrets.token_urlsafe(32) if password is None else password,
                **fields,
            )
    except IntegrityError as exc:
        raise AccountExistsError(
            _("An account with this e-mail address already exists. Log in or reset your password.")
        ) from exc


@transaction.atomic
def user_register(
    *, email: str, full_name: str, password: str, language: str, base_url: str
) -> User:
    try:
        user = customer_account_create(
            email=email, full_name=full_name, password=password, language=language
        )
    except AccountExistsError as exc:  # the same address registered a moment ago
        raise ValidationError(exc.message, code="duplicate") from exc
    email_verification_send(user=user, base_url=base_url)
    return user


def email_verify(*, token: str) -> User:
    """Mark the address in a verification link as verified; a second click changes nothing."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("This verification link has expired. Log in to ask for a new one."), code="expired"
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This verification link is not valid."), code="invalid") from exc
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("id")).first()
        if user is None or user.email.lower() != str(data.get("email", "")).lower():
            raise ValidationError(_("This verification link is not valid."), code="invalid")
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
    return user


def password_reset_completed(*, user: User) -> None:
    """A reset by e-mail link proves the address, and lifts a lockout for failed logins (the
    lockout page sends people here)."""
    axes_reset(username=user.email.lower())
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])


def user_language_set(*, user: User, language: str) -> None:
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
