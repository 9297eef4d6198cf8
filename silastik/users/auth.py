from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """Count failed logins per e-mail address regardless of how its case was typed."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return value.strip().lower()
