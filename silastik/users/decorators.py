from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
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
