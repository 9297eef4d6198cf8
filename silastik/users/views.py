from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import forms, services

RESEND_INTERVAL_SECONDS = 60


def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = forms.RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_register(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                language=get_language(),
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            email = form.cleaned_data["email"]
            return render(request, "users/register_done.html", {"email": email})
    return render(request, "users/register.html", {"form": form})


def verify(request, token: str):
    try:
        services.email_verify(token=token)
    except ValidationError as exc:
        return render(request, "users/verify_failed.html", {"error": exc.messages[0]}, status=400)
    messages.success(request, _("Your e-mail address is verified."))
    return redirect("users:profile" if request.user.is_authenticated else "users:login")


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
    form = forms.ProfileForm(request.POST or None, instance=request.user)
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


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "users/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    template_name = "users/form_page.html"
    success_url = reverse_lazy("users:profile")
    extra_context = {"title": gettext_lazy("Change password")}

    def form_valid(self, form):
        messages.success(self.request, _("Your password is changed."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.ResetRequestForm
    template_name = "users/form_page.html"
    success_url = reverse_lazy("users:password_reset_done")
    extra_context = {
        "title": gettext_lazy("Reset your password"),
        "intro": gettext_lazy(
            "Enter your account's e-mail address and we will send you a link to set a new password."
        ),
    }


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    template_name = "users/password_reset_confirm.html"
    success_url = reverse_lazy("users:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_completed(user=form.user)
        messages.success(self.request, _("Your new password is set. You can log in now."))
        return response
