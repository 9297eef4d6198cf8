from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from orders.models import Order
from silastik.users.decorators import verified_required

from .forms import RatingForm
from .services import FeedbackError, rating_submit


@verified_required
def rate(request, pk: int):
    # Another customer's order is simply not found.
    order = get_object_or_404(Order, pk=pk, customer=request.user)
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
