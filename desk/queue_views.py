"""The public queue display: the numbers each desk serves, refreshed by htmx every few seconds."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .selectors import queue_board


@never_cache
def display(request):
    return render(request, "desk/queue/display.html", {"board": queue_board()})


@never_cache
def board(request):
    return render(request, "desk/queue/_board.html", {"board": queue_board()})
