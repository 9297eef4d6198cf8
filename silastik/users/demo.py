"""Demo accounts, made the same way by every app's demo seed."""

from django.contrib.auth.models import Group
from django.utils import timezone

from .models import User

DEMO_PASSWORD = "silastik-demo"  # noqa: S105 - published on purpose, for demo accounts


def demo_user_save(spec: dict) -> User:
    """Create or reset a demo account: verified, the demo password, exactly the given role."""
    role = spec.pop("role", None)
    superuser = spec.pop("superuser", False)
    email = spec.pop("email")
    user, _created = User.objects.update_or_create(
        email=email,
        defaults={**spec, "is_superuser": superuser, "is_active": True},
    )
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.groups.set([Group.objects.get(name=role)] if role else [])
    return user
