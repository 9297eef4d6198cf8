from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orders.models import Order, OrderStatus
from silastik.users.decorators import verified_required

from .forms import AnswerForm, RatingForm
from .selectors import rating_of, ratings_of_order
from .services import FeedbackError, follow_up_answer, rating_submit


@verified_required
def rate(request, pk: int):
    # Another customer's order is simply not found.
    order = get_object_or_404(Order, pk=pk, customer=request.user)
    if ratings_of_order(order).exists():
        messages.info(request, _("This order has been rated already."))
        return redirect(f"{order.get_absolute_url()}#rating")
    if order.status != OrderStatus.COMPLETED:
        messages.error(request, _("An order can be rated once it is completed."))
        return redirect(order.get_absolute_url())
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rating_submit(
                order=order,
                by=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except FeedbackError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you for rating our service."))
        return redirect(order.get_absolute_url())
    return render(request, "feedback/rate.html", {"order": order, "form": form})


@verified_required
@require_POST
def answer(request, pk: int):
    """The customer writes back in the follow-up thread of their rating."""
    order = get_object_or_404(Order, pk=pk, customer=request.user)
    rating = rating_of(order=order)
    if rating is None or rating.customer_id != request.user.pk:
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            follow_up_answer(rating=rating, by=request.user, text=form.cleaned_data["text"])
        except FeedbackError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your answer was sent to the office."))
    return redirect(f"{order.get_absolute_url()}#rating")
