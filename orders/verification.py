"""What the public verification page says of a data use agreement (SPPD): its number, the
office, the day it was offered and whether it is still the agreement of the order — never the
customer."""

from django.utils import timezone
from django.utils.translation import gettext as _

from silastik.verification.services import (
    DocumentState,
    VerifiedDocument,
    verification_resolver_register,
)

from .documents import SPPD_KIND, sppd_number
from .models import OrderAction, OrderEvent
from .models import OrderStatus as S

ENDED = (S.CANCELLED, S.EXPIRED, S.REJECTED)


def sppd_verified(offer_event_id: int) -> VerifiedDocument | None:
    offer = (
        OrderEvent.objects.select_related("order__office")
        .filter(pk=offer_event_id, action=OrderAction.OFFER)
        .first()
    )
    if offer is None or offer.order.office is None:
        return None
    order, zone = offer.order, offer.order.office.zone
    latest = order.events.filter(action=OrderAction.OFFER).order_by("-at", "-pk").first()
    number = sppd_number(order=order)
    replaced_by = ""
    if latest is not None and latest.pk != offer.pk:
        state = DocumentState.REPLACED
        replaced_by = _("the version of %(date)s") % {
            "date": f"{timezone.localtime(latest.at, zone):%d-%m-%Y}"
        }
    elif order.status in ENDED:
        state = DocumentState.VOID
    elif order.status == S.REVISING:
        # The customer asked to correct the offer: a new agreement follows with the new offer.
        state, replaced_by = DocumentState.VOID, _("a corrected agreement, to follow")
    else:
        state = DocumentState.VALID
    return VerifiedDocument(
        kind=_("Data use agreement (SPPD)"),
        number=number,
        issued_on=timezone.localtime(offer.at, zone).date(),
        office=order.office.name,
        amount=None,
        state=state,
        replaced_by=replaced_by,
        note=order.get_sppd_status_display() if state == DocumentState.VALID else "",
    )


def verification_resolvers_register() -> None:
    verification_resolver_register(kind=SPPD_KIND, resolver=sppd_verified)
