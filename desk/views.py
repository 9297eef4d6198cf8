"""The staff desk: choose a counter, call the next visitor, recall, skip, serve, finish."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silastik.users.decorators import is_pst_staff, role_required

from .forms import CallForm, DeskChoiceForm, FinishForm
from .models import Desk, Visit, VisitStatus
from .selectors import desk_day, queue_board
from .services import STANDARD_SECONDS, DeskError, desk_current, visit_call_next, visit_move

SESSION_DESK = "desk.desk_id"


def _chosen_desk(request) -> Desk | None:
    pk = request.session.get(SESSION_DESK)
    return Desk.objects.filter(pk=pk, active=True).first() if pk else None


def _context(request, desk: Desk) -> dict:
    board = queue_board()
    today = desk_day(desk=desk)
    oldest = (
        Visit.objects.filter(day=timezone.localdate(), status=VisitStatus.WAITING)
        .order_by("issued_at")
        .values_list("issued_at", flat=True)
        .first()
    )
    return {
        "desk": desk,
        "current": desk_current(desk=desk),
        "today": today,
        # The standard's clock, as recorded at the call: from the later of the last visitor
        # done here and the longest-waiting ticket.
        "clock_since": max(today.last_done, oldest) if today.last_done and oldest else None,
        "lines": board.lines,
        "waiting": sum(line.waiting for line in board.lines),
        "standard_seconds": STANDARD_SECONDS,
        "now": timezone.now(),
    }


@role_required(is_pst_staff)
def desk_page(request):
    desk = _chosen_desk(request)
    if desk is None:
        return render(request, "desk/choose.html", {"form": DeskChoiceForm()})
    context = _context(request, desk)
    context |= {
        "call_form": CallForm(initial={"services": request.session.get("desk.services", [])}),
        "finish_form": FinishForm(),
    }
    return render(request, "desk/desk.html", context)


@role_required(is_pst_staff)
def desk_panel(request):
    desk = _chosen_desk(request)
    if desk is None:
        raise Http404
    return render(request, "desk/_panel.html", _context(request, desk))


@role_required(is_pst_staff)
@require_POST
def desk_choose(request):
    form = DeskChoiceForm(request.POST)
    if form.is_valid():
        request.session[SESSION_DESK] = form.cleaned_data["desk"].pk
    elif "leave" in request.POST:
        request.session.pop(SESSION_DESK, None)
    return redirect("desk:desk")


@role_required(is_pst_staff)
@require_POST
def desk_call(request):
    desk = _chosen_desk(request)
    if desk is None:
        return redirect("desk:desk")
    form = CallForm(request.POST)
    services = form.cleaned_data["services"] if form.is_valid() else []
    request.session["desk.services"] = services
    try:
        visit = visit_call_next(desk=desk, by=request.user, services=services)
    except DeskError as exc:
        messages.error(request, exc.message)
    else:
        if visit is None:
            messages.info(request, _("Nobody is waiting."))
    return redirect("desk:desk")


@role_required(is_pst_staff)
@require_POST
def desk_act(request, pk: int, move: str):
    desk = _chosen_desk(request)
    # Only the desk that called a visitor moves them on.
    visit = get_object_or_404(Visit, pk=pk, desk=desk) if desk else None
    if visit is None:
        raise Http404
    form = FinishForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        visit_move(visit=visit, move=move, by=request.user, note=note)
    except DeskError as exc:
        messages.error(request, exc.message)
    return redirect("desk:desk")
