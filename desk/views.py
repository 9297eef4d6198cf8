"""The staff desk: choose a counter, call the next visitor, recall, skip, serve, finish. Staff
work at their own office's desk only: its counters, its queue, its visits."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from offices.models import Office
from offices.selectors import office_of
from silastik.users.decorators import role_required

from .forms import CallForm, DeskChoiceForm, FinishForm
from .models import Desk, Visit
from .selectors import (
    desk_absent_undoable,
    desk_day,
    oldest_waiting,
    queue_board,
    standard_clock_since,
)
from .services import (
    ABSENT_UNDO_SECONDS,
    STANDARD_SECONDS,
    DeskError,
    desk_current,
    office_desks_ensure,
    visit_absent_undo,
    visit_call_next,
    visit_move,
)

SESSION_DESK = "desk.desk_id"


def works_at_a_desk(user) -> bool:
    """PST staff of an office: the desk serves that office's visitors only."""
    return user.is_pst_staff and office_of(user) is not None


def _office(request) -> Office:
    office = office_of(request.user)
    if office is None:  # role_required(works_at_a_desk) keeps anyone else out
        raise Http404
    return office


def _chosen_desk(request) -> Desk | None:
    pk = request.session.get(SESSION_DESK)
    if not pk:
        return None
    return (
        Desk.objects.select_related("office")
        .filter(pk=pk, active=True, office=_office(request))
        .first()
    )


def _context(request, desk: Desk) -> dict:
    board = queue_board(office=desk.office)
    today = desk_day(desk=desk)
    current = desk_current(desk=desk)
    # The standard's clock, as the call will record it: from the later of the last visitor
    # done here and the longest-waiting ticket, or from that ticket before the first call.
    since, from_ticket = standard_clock_since(
        last_done=today.last_done, oldest=oldest_waiting(office=desk.office)
    )
    return {
        "office": desk.office,
        "desk": desk,
        "current": current,
        "today": today,
        "clock_since": since,
        "clock_from_ticket": from_ticket,
        "lines": board.lines,
        "waiting": sum(line.waiting for line in board.lines),
        "standard_seconds": STANDARD_SECONDS,
        "now": timezone.now(),
        "undoable": None if current else desk_absent_undoable(desk=desk),
        "undo_seconds": ABSENT_UNDO_SECONDS,
    }


@role_required(works_at_a_desk)
def desk_page(request):
    desk = _chosen_desk(request)
    if desk is None:
        office = _office(request)
        office_desks_ensure(office=office)
        form = DeskChoiceForm(office=office)
        return render(request, "desk/choose.html", {"form": form, "office": office})
    context = _context(request, desk)
    context |= {
        "call_form": CallForm(initial={"services": request.session.get("desk.services", [])}),
        "finish_form": FinishForm(),
    }
    return render(request, "desk/desk.html", context)


@role_required(works_at_a_desk)
def desk_panel(request):
    desk = _chosen_desk(request)
    if desk is None:
        raise Http404
    return render(request, "desk/_panel.html", _context(request, desk))


@role_required(works_at_a_desk)
@require_POST
def desk_choose(request):
    form = DeskChoiceForm(request.POST, office=_office(request))
    if form.is_valid():
        request.session[SESSION_DESK] = form.cleaned_data["desk"].pk
    elif "leave" in request.POST:
        request.session.pop(SESSION_DESK, None)
    return redirect("desk:desk")


@role_required(works_at_a_desk)
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


@role_required(works_at_a_desk)
@require_POST
def desk_act(request, pk: int, move: str):
    desk = _chosen_desk(request)
    # Only the desk that called a visitor moves them on: never another desk's, nor another
    # office's.
    visit = get_object_or_404(Visit, pk=pk, desk=desk, office=desk.office) if desk else None
    if visit is None:
        raise Http404
    form = FinishForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        visit = visit_move(visit=visit, move=move, by=request.user, note=note)
    except DeskError as exc:
        messages.error(request, exc.message)
    else:
        if move == "skip":
            messages.info(
                request,
                _("%(ticket)s is marked not present. Pressed by mistake? Undo it within a minute.")
                % {"ticket": visit.ticket},
            )
    return redirect("desk:desk")


@role_required(works_at_a_desk)
@require_POST
def desk_absent_undo(request, pk: int):
    """Take back "not present", within a minute, at the desk that pressed it."""
    desk = _chosen_desk(request)
    visit = get_object_or_404(Visit, pk=pk, desk=desk, office=desk.office) if desk else None
    if visit is None:
        raise Http404
    try:
        visit = visit_absent_undo(visit=visit, desk=desk, by=request.user)
    except DeskError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(ticket)s is called to your desk again.") % {"ticket": visit.ticket}
        )
    return redirect("desk:desk")
