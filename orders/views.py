from django.shortcuts import render

from silastik.users.decorators import verified_required


@verified_required
def order_list(request):
    """The customer's orders. Ordering itself (cart, request) arrives with the orders feature."""
    return render(request, "orders/order_list.html", {"orders": []})
