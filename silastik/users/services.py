"""Everything that changes an account."""

import secrets

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from silastik.background import enqueue_on_commit
from silastik.errors import ApplicationError
from silastik.links import absolute_url
from silastik.mail.services import email_queue
from silastik.ratelimit import RateLimit

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


# The profile's postal address (a text field): a few lines, as an invoice prints them.
ADDRESS_MAX_LENGTH = 500


class AccountExistsError(ApplicationError):
    """The e-mail address has an account already (made a moment ago, perhaps elsewhere)."""


class ProfileError(ApplicationError):
    """A profile value that does not fit (the forms refuse it before)."""


def _profile_lengths_check(fields: dict[str, object]) -> None:
    for name, value in fields.items():
        field = User._meta.get_field(name)
        assert isinstance(field, models.Field)  # profile fields are the model's own columns
        limit = ADDRESS_MAX_LENGTH if name == "address" else field.max_length
        if isinstance(value, str) and limit and len(value) > limit:
            raise ProfileError(
                _("%(field)s: write at most %(limit)s characters.")
                % {"field": capfirst(field.verbose_name), "limit": limit}
            )


# Personal links carry their token after "#": a browser never sends the fragment, so the token
# is in no access log (gunicorn, nginx, a proxy) and no Referer. The page the link opens reads
# it with a script (static/js/link-code.js) and posts it (users.views.link_open).
RESET_CODE_SEPARATOR = "."
HOUR = 3600


def _link(*, viewname: str, code: str, base_url: str | None) -> str:
    path = f"{reverse(viewname)}#{code}"
    return base_url.rstrip("/") + path if base_url else absolute_url(path)


def account_mail_limit() -> RateLimit:
    """E-mails about one address that a visitor can set off (reset links, notices of a
    registration attempt), counted per typed address whether it has an account or not."""
    return RateLimit("account-mail", settings.ACCOUNT_EMAILS_PER_HOUR, HOUR)


def _account_mail_allowed(email: str) -> bool:
    return account_mail_limit().hit(email.strip().lower())


def email_verification_token(*, user: User) -> str:
    # The address is part of the token, so a link stops working when the address changes.
    return signing.dumps({"id": user.pk, "email": user.email}, salt=VERIFY_SALT)


def email_verification_link(*, user: User, base_url: str | None = None) -> str:
    return _link(
        viewname="users:verify", code=email_verification_token(user=user), base_url=base_url
    )


def email_verification_send(*, user: User, base_url: str) -> None:
    link = email_verification_link(user=user, base_url=base_url)
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
    _profile_lengths_check(fields)
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
) -> User | None:
    """A new account and its verification link; or, when the address has an account already,
    a notice to its owner, and None. The visitor is told the same either way ("check your
    e-mail"), so the form tells nobody which addresses have accounts; both ways hash the
    password (create_user does before the insert fails) and queue one e-mail."""
    try:
        user = customer_account_create(
            email=email, full_name=full_name, password=password, language=language
        )
    except AccountExistsError:
        account_exists_notify(email=email, base_url=base_url)
        return None
    email_verification_send(user=user, base_url=base_url)
    return user


def account_exists_notify(*, email: str, base_url: str) -> None:
    """Tell an account's owner that someone tried to register with their address."""
    owner = User.objects.filter(email__iexact=email.strip()).first()
    if owner is None or not _account_mail_allowed(email):
        return
    root = base_url.rstrip("/")
    email_queue(
        to=owner.email,
        template="account_exists",
        context={
            "user": owner,
            "login_link": root + reverse("users:login"),
            "reset_link": root + reverse("users:password_reset"),
        },
        language=owner.language,
    )


def password_reset_accounts(*, email: str) -> list[User]:
    """The accounts a reset link may go to: active, with a usable password (a desk account's
    random one is), matched whatever the case of the address, as logins are."""
    return [
        user
        for user in User.objects.filter(email__iexact=email.strip(), is_active=True)
        if user.has_usable_password()
    ]


def password_reset_link(*, user: User, base_url: str | None = None) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    code = f"{uid}{RESET_CODE_SEPARATOR}{default_token_generator.make_token(user)}"
    return _link(viewname="users:password_reset_link", code=code, base_url=base_url)


def password_reset_code_check(*, code: str) -> str | None:
    """The account part (uidb64) of a reset link's code when its token is valid, else None."""
    uidb64, _sep, token = code.partition(RESET_CODE_SEPARATOR)
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = User.objects.filter(pk=int(pk), is_active=True).first()
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError):
        return None
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return uidb64


def password_reset_request(*, email: str, base_url: str) -> None:
    """Answer a reset request without telling whether the address has an account: the request
    does the same small work either way (a count in the cache, a task queued after commit);
    the task looks the address up and queues the e-mail (password_reset_send)."""
    if not _account_mail_allowed(email):
        return  # the owner has links enough for the hour; the visitor is told the same
    from .tasks import password_reset_send_task

    enqueue_on_commit(password_reset_send_task, email.strip(), base_url, secrets.token_hex(8))


def password_reset_send(*, email: str, base_url: str, request_id: str) -> int:
    """The reset links of a request, once however often its task runs; how many were queued."""
    done = f"password-reset-sent:{request_id}"
    if cache.get(done):
        return 0
    accounts = password_reset_accounts(email=email)
    with transaction.atomic():
        for user in accounts:
            email_queue(
                to=user.email,
                template="password_reset",
                context={"user": user, "link": password_reset_link(user=user, base_url=base_url)},
                language=user.language,
                sensitive=True,
            )
    # Marked once the rows exist: a retry after a failure above queues them still.
    cache.set(done, 1, timeout=HOUR)
    return len(accounts)


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
