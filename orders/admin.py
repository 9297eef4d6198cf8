from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.admin import OfficeScopedAdmin
from offices.models import OfficeMembership
from offices.selectors import office_of, user_is_national
from silastik.admin_workflow import WorkflowAdmin
from silastik.users.admin import UserAdmin
from silastik.users.models import User

from . import forms, services
from .conversations.admin import ConversationAdmin  # noqa: F401 (registers it)
from .cutting import services as cutting
from .cutting.models import CutRun
from .files import download_token
from .models import FileKind, Order, SppdStatus
from .models import OrderStatus as S
from .panels import order_panels
from .selectors import order_sla, order_timeline, orders_needing_attention
from .services.files import UPLOAD_STATES
from .signals import order_summaries
from .work import ANSWERED, STAFF_QUEUES
from .workflow import MOVES, Actor, moves_for


class QueueFilter(admin.SimpleListFilter):
    """The staff's queues (orders.work names and counts them on the home page). The list opens
    on "needs my action": every queue of the staff, oldest waiting first."""

    title = gettext_lazy("queue")
    parameter_name = "queue"
    LABELS = {
        "mine": gettext_lazy("Needs my action"),
        "new": gettext_lazy("New requests"),
        "answered": gettext_lazy("Answers from customers"),
        "revise": gettext_lazy("Offers to revise"),
        "prepare": gettext_lazy("To prepare"),
        "agreements": gettext_lazy("Signed agreements to check"),
        "deliver": gettext_lazy("To deliver"),
        "correct": gettext_lazy("Corrections"),
        "links": gettext_lazy("New download links asked for"),
        "late": gettext_lazy("Near or past the standard"),
        "sppd": gettext_lazy("Waiting for the signed SPPD"),
        "customer": gettext_lazy("Waiting for the customer"),
        "all": gettext_lazy("All orders"),
    }
    OTHER_QUEUES = {
        "sppd": Q(
            sppd_status=SppdStatus.PENDING,
            status__in=[S.OFFERED, S.PAYMENT_REVIEW, S.AWAITING_DELIVERY],
        ),
        "customer": Q(status__in=[S.NEEDS_INFO, S.OFFERED]),
    }

    def lookups(self, request, model_admin):
        return list(self.LABELS.items())

    def choices(self, changelist):
        # Django's own "All" entry would drop the parameter and land on "mine" again.
        yield from list(super().choices(changelist))[1:]

    def queryset(self, request, queryset):
        key = self.value()
        if key == "mine":
            mine = Q()
            for q in STAFF_QUEUES.values():
                mine |= q
            return queryset.annotate(answered=ANSWERED).filter(mine)
        if key in STAFF_QUEUES:
            return queryset.annotate(answered=ANSWERED).filter(STAFF_QUEUES[key])
        if key in self.OTHER_QUEUES:
            return queryset.filter(self.OTHER_QUEUES[key])
        if key == "late":
            office = office_of(request.user)
            late = orders_needing_attention(office_id=office.pk if office else None)
            return queryset.filter(pk__in=[item.order.pk for item in late])
        return queryset


@admin.register(Order)
class OrderAdmin(OfficeScopedAdmin, WorkflowAdmin):
    list_display = [
        "number",
        "customer",
        "status",
        "submitted_at",
        "sla",
        "sppd_status",
        "exemption",
        "channel",
    ]
    list_filter = [QueueFilter, "status", "channel", "sppd_status", "exemption"]
    search_fields = ["number", "customer__email", "customer__full_name", "lines__description"]
    list_select_related = ["customer"]
    date_hierarchy = "submitted_at"
    ordering = ["status_changed_at"]
    detail_template = "admin/orders/order/detail.html"

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=S.DRAFT).prefetch_related("events")

    def changelist_view(self, request, extra_context=None):
        # Staff open the list on what needs them, oldest first; any filter or search stays.
        if not request.GET and request.user.is_pst_staff:
            return redirect(f"{request.path}?queue=mine")
        return super().changelist_view(request, extra_context)

    @admin.display(description=gettext_lazy("working days"))
    def sla(self, obj: Order) -> str:
        used, state = order_sla(order=obj, events=list(obj.events.all()))
        marks = {"ok": "", "near": " ⚠", "late": " ‼"}
        return f"{used}/10{marks[state]}"

    def detail_context(self, request, order: Order, **bound) -> dict:
        user = request.user
        lines = list(order.lines.prefetch_related("files", "variables"))
        files = {
            f.pk: download_token(user=user, order=order, document=f.kind, file_id=f.pk)
            for line in lines
            for f in line.files.all()
        }
        documents = {
            name: download_token(user=user, order=order, document=name)
            for name, field in (
                ("sppd", order.sppd_document),
                ("sppd_signed", order.sppd_signed),
                ("sppd_countersigned", order.sppd_countersigned),
                ("abstract", order.abstract_file),
                ("letter", order.exemption_letter),
            )
            if field
        }
        used, state = order_sla(order=order)
        may_act = user.is_pst_staff and self.has_change_permission(request, order)
        moves = moves_for(status=order.status, actor=Actor.STAFF) if may_act else []
        sppd_to_check = may_act and order.sppd_status == SppdStatus.UPLOADED
        sppd_pending = (
            order.sppd_status == SppdStatus.PENDING and order.status in services.SPPD_OPEN
        )
        link_requested = order.status == S.COMPLETED and order.link_requested_at is not None
        # The states in which staff add prepared files (orders.services.files).
        files_added_while = UPLOAD_STATES[FileKind.PRODUCT]
        return {
            "order": order,
            "lines": lines,
            "file_tokens": files,
            "documents": documents,
            "timeline": order_timeline(order=order),
            "sla_used": used,
            "sla_state": state,
            "moves": [(name, MOVES[name].label) for name in moves],
            "may_act": may_act,
            "files_added_while": files_added_while,
            # The panel of work, only when it holds some (templates/admin/orders/order/detail.html).
            "work_shown": may_act
            and bool(
                moves
                or sppd_to_check
                or sppd_pending
                or link_requested
                or order.status in files_added_while
            ),
            "approve_form": bound.get("approve_form") or forms.ApproveForm(),
            "note_form": forms.NoteForm(),
            "deliver_form": forms.DeliverForm(),
            "has_printed": any(line.printed for line in lines),
            "sppd_desk_form": forms.SppdDeskForm(),
            "file_form": bound.get("file_form") or forms.LineFileForm(order=order),
            "sppd_to_check": sppd_to_check,
            "sppd_pending": sppd_pending,
            "link_requested": link_requested,
            "download_days": services.DOWNLOAD_WINDOW.days,
            **self._cuts(order, lines, may_act=may_act),
            **self._reprices(order),
            # Billing's invoice, code and receipt of the order (orders.panels).
            **order_panels(request=request, order=order),
        }

    def _cuts(self, order: Order, lines: list, *, may_act: bool) -> dict:
        """The portal's cuts of the microdata lines: the latest run of each, and whether staff
        may start one now."""
        microdata = [line for line in lines if line.kind == "microdata" and not line.printed]
        if not microdata:
            return {}
        latest: dict[int, CutRun] = {}
        for run in CutRun.objects.filter(line__in=microdata).order_by("line", "-created_at"):
            latest.setdefault(run.line_id, run)
        may_cut = may_act and order.status in cutting.CUT_STATES
        rows = []
        for line in microdata:
            run = latest.get(line.pk)
            problem = ""
            if may_cut:
                try:
                    cutting.line_cut_check(line=line)
                except services.OrderError as exc:
                    problem = exc.message
            rows.append({"line": line, "run": run, "problem": problem})
        active = any(r["run"] is not None and r["run"].active for r in rows)
        return {"cut_rows": rows, "may_cut": may_cut, "cuts_active": active}

    def workflow_urls(self):
        return [
            path(
                "<int:pk>/cuts/",
                self.admin_site.admin_view(self.cuts_view),
                name="orders_order_cuts",
            )
        ]

    def cuts_view(self, request, pk: int) -> JsonResponse:
        """The order's cuts as the page's progress bars read them (static/js/cut-progress.js):
        another office's order is not found."""
        order = self.workflow_object(request, pk)
        if not self.has_view_permission(request, order):
            raise PermissionDenied
        runs = CutRun.objects.filter(line__order=order).order_by("line", "-created_at")
        latest: dict[int, CutRun] = {}
        for run in runs:
            latest.setdefault(run.line_id, run)
        return JsonResponse(
            {
                "runs": [
                    {
                        "id": run.pk,
                        "line": run.line_id,
                        "status": run.status,
                        "label": run.get_status_display(),
                        "progress": run.progress,
                        "message": run.message,
                        "active": run.active and not run.stale,
                    }
                    for run in latest.values()
                ]
            }
        )

    def _reprices(self, order: Order) -> dict:
        """Before the offer goes out: the price from the prepared data beside the quote."""
        if order.status not in (S.PREPARING, S.REVISING):
            return {}
        try:
            reprices = services.lines_reprice_preview(order=order)
        except services.OrderError as exc:
            return {"reprice_error": exc.message}
        return {
            "reprices": reprices,
            "reprice_confirm": any(r.needs_confirmation for r in reprices),
            "tolerance": settings.REPRICE_TOLERANCE_PERCENT,
        }

    def act(self, request, order: Order, action: str) -> HttpResponse | str | None:
        """Each move through its service, answered with what happened and what comes next."""
        by, note = request.user, request.POST.get("note", "")
        if action == "approve":
            form = forms.ApproveForm(request.POST)
            form.is_valid()
            exemption = form.cleaned_data.get("exemption") or None
            services.order_approve(order=order, by=by, exemption=exemption, note=note)
            return _("Approved: prepare the products. The customer has been e-mailed.")
        if action == "ask_info":
            services.order_ask_info(order=order, by=by, question=note)
            return _("The question is sent; the order waits for the customer's answer.")
        if action == "reject":
            services.order_reject(order=order, by=by, reason=note)
            return _("Rejected with the reason given; the customer has been e-mailed.")
        if action == "offer":
            order = services.order_offer(
                order=order, by=by, note=note, price_reason=request.POST.get("price_reason", "")
            )
            said = "; ".join(order_summaries(order=order))
            if said:
                return _("Offer sent: %(summary)s. The customer has been e-mailed.") % {
                    "summary": said
                }
            return _("Offer sent. The customer has been e-mailed.")
        if action == "deliver":
            order = services.order_deliver(
                order=order,
                by=by,
                handover=request.POST.get("handover", ""),
                tracking_number=request.POST.get("tracking_number", ""),
            )
            return _(
                "Delivered: downloads are open until %(date)s. The customer has been e-mailed."
            ) % {"date": formats.date_format(timezone.localtime(order.downloads_until), "j F Y")}
        if action == "redeliver":
            services.order_redeliver(order=order, by=by, note=note)
            return _("The correction is delivered; the customer has been e-mailed.")
        if action == "sppd_accept":
            services.order_sppd_accept(order=order, by=by)
            return _(
                "The signed agreement is accepted and countersigned; the customer was e-mailed."
            )
        if action == "sppd_return":
            services.order_sppd_return(order=order, by=by, reason=note)
            return _("The signed agreement was sent back; the customer has been e-mailed.")
        if action == "sppd_originals":
            services.order_sppd_originals_received(order=order, by=by)
            return _("The signed originals are recorded; the order can be delivered once paid.")
        if action == "sppd_desk":
            return self._sppd_desk(request, order)
        if action == "renew":
            order = services.order_downloads_renew(order=order, by=by)
            return _(
                "New download links are open until %(date)s; the customer has been e-mailed."
            ) % {"date": formats.date_format(timezone.localtime(order.downloads_until), "j F Y")}
        if action == "upload":
            return self._upload(request, order)
        if action == "cut":
            return self._cut(request, order)
        if action == "cut_cancel":
            run = CutRun.objects.filter(line__order=order, pk=_posted_id(request, "run")).first()
            if run is None:
                raise services.OrderError(_("This cut is not part of this order."))
            cutting.cut_cancel(run=run, by=by)
            return _("The cut is cancelled; the line's files are as they were.")
        messages.error(request, _("Unknown action."))
        return redirect(self.change_url(order))

    def _sppd_desk(self, request, order: Order) -> HttpResponse | str:
        form = forms.SppdDeskForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the day the visitor signed the agreement."))
            return redirect(self.change_url(order))
        services.order_sppd_signed_at_desk(
            order=order, by=request.user, signed_on=form.cleaned_data["signed_on"]
        )
        return _("The agreement signed at the desk is recorded.")

    def _cut(self, request, order: Order) -> str:
        line = order.lines.filter(pk=_posted_id(request, "line")).first()
        if line is None:
            raise services.OrderError(_("This line is not part of this order."))
        cutting.line_cut_start(line=line, by=request.user)
        return _(
            "The cut of %(line)s has started: follow its progress below. Nothing reaches the "
            "customer until you send the offer."
        ) % {"line": line.description}

    def _upload(self, request, order: Order) -> HttpResponse | str:
        form = forms.LineFileForm(request.POST, request.FILES, order=order)
        if not form.is_valid():
            messages.error(request, _("The file was not saved: see the form."))
            return self.detail_response(request, order, status=400, file_form=form)
        data = form.cleaned_data
        made = services.line_file_upload(
            line=data["line"],
            by=request.user,
            upload=data["upload"],
            kind=data["kind"],
            note=data["note"],
        )
        return _("%(name)s is saved as %(kind)s version %(version)s of %(line)s.") % {
            "name": made.original_name,
            "kind": made.get_kind_display().lower(),
            "version": made.version,
            "line": made.line.description,
        }


def _posted_id(request, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else 0


class OfficeUserAdmin(UserAdmin):
    """The accounts an office's people may open: their office's colleagues and the customers
    their office has served. Customers are national, but their identity papers are no other
    office's business. The national roles see every account."""

    def get_queryset(self, request):
        accounts = super().get_queryset(request)
        if user_is_national(request.user):
            return accounts
        office = office_of(request.user)
        if office is None:
            return accounts.none()
        served = Order.objects.filter(office=office).values("customer_id")
        colleagues = OfficeMembership.objects.filter(office=office).values("user_id")
        return accounts.filter(Q(pk__in=served) | Q(pk__in=colleagues))


# Registered here rather than in the core: who an office served is the orders' to say.
admin.site.unregister(User)
admin.site.register(User, OfficeUserAdmin)
