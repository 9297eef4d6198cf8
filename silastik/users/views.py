import math
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from silastik.ratelimit import RateLimit, client_key

from . import forms, services
from .auth import client_ip, login_address_limit

RESEND_INTERVAL_SECONDS = 60
HOUR = 3600
# A link's code is a few dozen characters; anything much longer is not one.
LINK_CODE_MAX_LENGTH = 500


def _registration_limit() -> RateLimit:
    return RateLimit("registration", settings.REGISTRATIONS_PER_HOUR, HOUR)


def _reset_limit() -> RateLimit:
    return RateLimit("password-reset", settings.PASSWORD_RESETS_PER_HOUR, HOUR)


def _limited(form, limit: RateLimit, message: str) -> None:
    minutes = math.ceil(limit.retry_after() / 60)
    form.add_error(None, message % {"minutes": minutes})


def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = forms.RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limit = _registration_limit()
        if not limit.hit(client_key(client_ip(request))):
            _limited(
                form,
                limit,
                _(
                    "Many registrations came from your network in the last hour. "
                    "Try again in %(minutes)s minutes."
                ),
            )
            return render(request, "users/register.html", {"form": form}, status=429)
        # A new account, or a notice to the owner of an existing one: the same answer.
        services.user_register(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
            language=get_language(),
            base_url=request.build_absolute_uri("/"),
        )
        return render(request, "users/register_done.html", {"email": form.cleaned_data["email"]})
    return render(request, "users/register.html", {"form": form})


def _link_code(request) -> str:
    return request.POST.get("code", "").strip().lstrip("#")[:LINK_CODE_MAX_LENGTH]


def _link_open(request, title: str):
    """The page a personal link opens: its code is after "#", which the browser keeps to
    itself; static/js/link-code.js posts it here (or the visitor pastes it)."""
    return render(request, "users/link_open.html", {"title": title})


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request):
    if request.method != "POST":
        return _link_open(request, _("Verify your e-mail address"))
    try:
        services.email_verify(token=_link_code(request))
    except ValidationError as exc:
        return render(request, "users/verify_failed.html", {"error": exc.messages[0]}, status=400)
    messages.success(request, _("Your e-mail address is verified."))
    return redirect("users:profile" if request.user.is_authenticated else "users:login")


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def password_reset_link(request):
    """Exchanges a reset link's code for the session, as Django's own confirm view does with a
    token in its path, and goes on to the token-free page that sets the password."""
    if request.method != "POST":
        return _link_open(request, _("Set a new password"))
    code = _link_code(request)
    uidb64 = services.password_reset_code_check(code=code)
    if uidb64 is None:
        return render(
            request, "users/password_reset_confirm.html", {"validlink": False}, status=400
        )
    request.session[INTERNAL_RESET_SESSION_TOKEN] = code.partition(services.RESET_CODE_SEPARATOR)[2]
    return redirect("users:password_reset_confirm", uidb64=uidb64)


@login_required
def verification_needed(request):
    if request.user.is_verified:
        return redirect("users:profile")
    return render(request, "users/verification_needed.html")


@login_required
@require_POST
def verification_resend(request):
    user = request.user
    if user.is_verified:
        return redirect("users:profile")
    # cache.add is atomic: only the first click within the interval sends an e-mail.
    if cache.add(f"verify-resend:{user.pk}", 1, RESEND_INTERVAL_SECONDS):
        services.email_verification_send(user=user, base_url=request.build_absolute_uri("/"))
        messages.success(
            request, _("We sent a new verification link to %(email)s.") % {"email": user.email}
        )
    else:
        messages.info(
            request, _("A link was sent less than a minute ago. Check your inbox and spam folder.")
        )
    return redirect("users:verification_needed")


@login_required
def profile(request):
    form_class = forms.BackOfficeProfileForm if request.user.roles else forms.ProfileForm
    form = form_class(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        response = redirect("users:profile")
        # The profile's language also becomes the interface language.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            request.user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite="Lax",
        )
        return response
    return render(request, "users/profile.html", {"form": form})


def lockout(request, original_response=None, credentials=None):
    """The page of a paused login (AXES_LOCKOUT_CALLABLE), for the site's and the back office's
    login alike: why, and when to try again."""
    by_address = getattr(request, "login_locked_address", False)
    if by_address:
        wait = login_address_limit().retry_after()
    else:
        # Axes counts from the latest failure, and this refused attempt was one.
        wait = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {
        "by_address": by_address,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": math.ceil(wait / 60),
        "until": timezone.now() + timedelta(seconds=wait),
    }
    response = render(request, "users/lockout.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "users/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """The back office starts at its work; customers at the portal's home."""
        user = self.request.user
        if user.is_authenticated and (user.roles or user.is_superuser):
            return resolve_url("work:home")
        return super().get_default_redirect_url()


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    template_name = "users/form_page.html"
    success_url = reverse_lazy("users:profile")
    extra_context = {"title": gettext_lazy("Change password")}

    def form_valid(self, form):
        messages.success(self.request, _("Your password is changed."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer, and the same work in the request, for any address (the form's save()
    queues a task that looks it up); limited per client address here and per typed address in
    users.services.password_reset_request."""

    form_class = forms.ResetRequestForm
    template_name = "users/form_page.html"
    success_url = reverse_lazy("users:password_reset_done")

    extra_context = {
        "title": gettext_lazy("Reset your password"),
        "intro": gettext_lazy(
            "Enter your account's e-mail address and we will send you a link to set a new password."
        ),
    }

    def form_valid(self, form):
        limit = _reset_limit()
        if not limit.hit(client_key(client_ip(self.request))):
            _limited(
                form,
                limit,
                _(
                    "Many password resets were asked for from your network in the last hour. "
                    "Try again in %(minutes)s minutes."
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    template_name = "users/password_reset_confirm.html"
    success_url = reverse_lazy("users:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_completed(user=form.user)
        messages.success(self.request, _("Your new password is set. You can log in now."))
        return response
