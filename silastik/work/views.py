from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silastik.notifications.models import Notification
from silastik.notifications.selectors import notifications_of
from silastik.notifications.services import notification_open, notifications_read_all
from silastik.users.decorators import role_required

from . import figures_of, home_sections, work_of

NOTIFICATIONS_PER_PAGE = 50


def works_in_back_office(user) -> bool:
    return bool(user.roles) or user.is_superuser


@role_required(works_in_back_office)
def home(request):
    """Your work now: what waits for each of the person's roles, oldest first, each count a link
    to the list it counts; the head's month in figures and charts."""
    user = request.user
    work = work_of(user)
    sections = [(name, work.get(name, [])) for name in home_sections(user)]
    latest = list(notifications_of(person=user)[:5])
    return render(
        request,
        "work/home.html",
        {"sections": sections, "latest": latest, **figures_of(request)},
    )


@role_required(works_in_back_office)
def notifications(request):
    page = Paginator(notifications_of(person=request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "work/notifications.html", {"page": page})


@role_required(works_in_back_office)
def notification_go(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    link = notification_open(notification=notification)
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("work:notifications")


@role_required(works_in_back_office)
@require_POST
def notifications_read(request):
    count = notifications_read_all(person=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("work:notifications")
