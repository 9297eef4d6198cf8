from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def verified_required(view: Callable) -> Callable:
    """Only logged-in users with a verified e-mail address; others are sent to log in or verify."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_verified:
            messages.warning(request, _("Verify your e-mail address before ordering."))
            return redirect("users:verification_needed")
        return view(request, *args, **kwargs)

    return wrapper


def role_required(allowed: Callable) -> Callable:
    """Logged-in users for whom `allowed(user)` holds. Anyone else is told the page does not
    exist: a back-office page is nobody else's business, not even that it is there."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def is_pst_staff(user) -> bool:
    return user.is_pst_staff


def reads_service_reports(user) -> bool:
    """The IKM and the desk's figures: the staff who make them and the head they report to."""
    return user.is_pst_staff or user.is_head or user.is_superuser


def reads_revenue(user) -> bool:
    return user.is_treasurer or user.is_head or user.is_superuser or user.is_national_admin
