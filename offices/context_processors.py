from django.http import HttpRequest

from .selectors import office_of, portal_office


def office(request: HttpRequest) -> dict:
    """`office` on every page: the office of a back-office person, else the portal's."""
    user = getattr(request, "user", None)
    return {"office": office_of(user) or portal_office()}


def email_defaults() -> dict:
    """What every e-mail knows unless its caller names the serving office."""
    return {"office": portal_office()}
