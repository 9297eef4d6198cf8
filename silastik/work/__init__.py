"""The back office's home: each person's work now, gathered from the apps without importing them.

Each app registers its sources in its AppConfig.ready(): a source is asked, for one person, what
waits for them (a few counts from one or two queries) and answers with items — how many, since
when the oldest has waited, the standard it is held to and where the filtered list is. Figures
(the head's month at a glance) are panels with a template of their own.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest

from silastik.users.models import User


@dataclass(frozen=True)
class WorkItem:
    label: str
    count: int
    url: str
    oldest: datetime | None = None
    # The standard the work is held to ("10 working days"), and how many items are past it.
    standard: str = ""
    late: int = 0
    # Orders the items on the home page: the oldest work of all first, then by position.
    position: int = 0


@dataclass(frozen=True)
class WorkSource:
    # The roles (silastik.users.roles.Role values) whose home shows it; "superuser" for IT.
    roles: frozenset[str]
    # The section of the home it belongs to: "staff", "treasurer", "head", "national".
    section: str
    items: Callable[[User], list[WorkItem]]


@dataclass(frozen=True)
class FiguresPanel:
    roles: frozenset[str]
    section: str
    template: str
    context: Callable[[HttpRequest], dict]
    position: int = 0


_sources: list[WorkSource] = []
_panels: list[FiguresPanel] = []


def work_source_register(source: WorkSource) -> None:
    if source not in _sources:
        _sources.append(source)


def figures_panel_register(panel: FiguresPanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def _holds(user: User, roles: frozenset[str]) -> bool:
    return bool(user.roles & roles) or (user.is_superuser and "superuser" in roles)


def work_of(user: User) -> dict[str, list[WorkItem]]:
    """By section, the person's work items, each section in the order of its sources."""
    found: dict[str, list[WorkItem]] = {}
    for source in _sources:
        if _holds(user, source.roles):
            found.setdefault(source.section, []).extend(source.items(user))
    return {
        section: sorted(items, key=lambda item: item.position) for section, items in found.items()
    }


def figures_of(request: HttpRequest) -> dict:
    """The figures panels the person reads: `figures` maps a section to its templates."""
    context: dict = {"figures": {}}
    for panel in sorted(_panels, key=lambda p: p.position):
        if _holds(request.user, panel.roles):
            context.update(panel.context(request))
            context["figures"].setdefault(panel.section, []).append(panel.template)
    return context


def home_sections(user: User) -> list[str]:
    """The sections of the home, for the roles the person holds, in a fixed order."""
    order = ["staff", "treasurer", "head", "national"]
    roles = {
        "staff": {"pst_staff"},
        "treasurer": {"treasurer"},
        "head": {"head"},
        "national": {"national_admin"},
    }
    held = [s for s in order if user.roles & roles[s]]
    if user.is_superuser and "national" not in held:
        held.append("national")
    return held
