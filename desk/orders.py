"""Desk orders: staff order for a walk-in visitor with the online cart, prices and workflow.

The customer of a desk order is the visitor's own account, so invoice, SPPD, receipt and the
later downloads work as online. Staff act for the visitor; the order says so (channel walk_in,
the desk's IP, a note naming the staff member).
"""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from catalog.models import Product
from catalog.selection import Selection
from catalog.selectors import CatalogQuery, catalog_search
from offices.models import Office
from offices.selectors import works_at
from orders import services as order_services
from orders.models import Order, OrderChannel, OrderLine
from orders.models import OrderStatus as S
from orders.selectors import cart_of
from orders.services import OrderError, order_reject
from silastik.mail.services import email_queue
from silastik.users.models import IdentityType, User
from silastik.users.services import (
    PROFILE_FIELDS,
    AccountExistsError,
    customer_account_create,
    password_reset_link,
)

from .models import IdentityKind, Visit, VisitStatus
from .services import DeskError, identity_normalize, visit_refer_to_consultation

# The guest book's documents as the customer profile knows them.
IDENTITY_TYPES = {
    IdentityKind.KTP: IdentityType.KTP,
    IdentityKind.SIM: IdentityType.SIM,
    IdentityKind.PASSPORT: IdentityType.PASSPORT,
}
SEARCH_RESULTS = 20


def _require_staff(by: User) -> None:
    if not by.is_pst_staff:
        raise DeskError(_("Only PST staff take orders at the desk."))


def _serving(visit: Visit, by: User) -> Visit:
    """The visit, locked; desk orders are made while the visitor is at the desk, by the member
    of staff serving them, at their own office."""
    locked = (
        Visit.objects.select_for_update(of=("self", "visitor"))
        .select_related("visitor", "office")
        .get(pk=visit.pk)
    )
    if not works_at(by, locked.office_id):
        raise DeskError(_("Only the office's own staff work at its desk."))
    if locked.status != VisitStatus.SERVING:
        raise DeskError(
            _("Ticket %(ticket)s is not being served: start serving the visitor first.")
            % {"ticket": locked.ticket}
        )
    if locked.served_by_id != by.pk:
        raise DeskError(_("Another member of staff is serving this visitor."))
    return locked


def _still_a_cart(visit: Visit) -> None:
    if visit.order_id and visit.order.status != S.DRAFT:
        raise DeskError(_("This visitor's request has been sent; it is no longer a cart."))


def _customer_of(visit: Visit) -> User:
    customer = visit.visitor.user
    if customer is None:
        raise DeskError(_("Link or create the visitor's account first."))
    return customer


# --- reading ------------------------------------------------------------------------------------


def visit_account_find(*, visit: Visit, email: str = "") -> User | None:
    """The customer account for this visitor: by the e-mail given, else the one linked before,
    else the one with the e-mail of the guest book."""
    email = (email or "").strip()
    if email:
        return User.objects.filter(email__iexact=email).first()
    if visit.visitor.user_id:
        return visit.visitor.user
    if visit.visitor.email:
        return User.objects.filter(email__iexact=visit.visitor.email).first()
    return None


def visit_account_initial(*, visit: Visit, account: User | None = None) -> dict:
    """The account form, filled from the account where it has a value, else the guest book."""
    visitor = visit.visitor
    initial = {
        "full_name": visitor.name,
        "email": visitor.email,
        "phone": visitor.phone,
        "segment": visitor.segment,
        "institution": visitor.institution,
        "id_type": IDENTITY_TYPES.get(visitor.identity_kind, IdentityType.OTHER),
        "id_number": visitor.identity_number,
    }
    # An account's details are shown only when it is this visitor's: same identity document.
    if account is not None and account_is_visitors(account, visitor.identity_number):
        initial["email"] = account.email
        for name in PROFILE_FIELDS:
            value = getattr(account, name)
            if value:
                initial[name] = str(value)
    return initial


def desk_products_find(*, office: Office, q: str) -> list[Product]:
    """The office's published products by catalogue number or by the catalog's own search: a
    desk sells its own office's products."""
    q = (q or "").strip()[:200]
    if not q:
        return []
    found = list(
        Product.objects.filter(
            office=office, is_published=True, publication__catalogue_number__icontains=q
        )
        .select_related("publication", "dataset", "digitalmap")
        .defer("search_document")
        .order_by("title", "pk")[:SEARCH_RESULTS]
    )
    params = QueryDict(mutable=True)
    params["q"] = q
    seen = {product.pk for product in found}
    matches = catalog_search(CatalogQuery.from_querydict(params)).filter(office=office)
    for product in matches[:SEARCH_RESULTS]:
        if product.pk not in seen:
            found.append(product)
    return found[:SEARCH_RESULTS]


# --- the account --------------------------------------------------------------------------------


def desk_account_link(*, visit: Visit, by: User, email: str, profile: dict) -> tuple[User, bool]:
    """Link the visitor to their customer account, found by e-mail, or create it. Returns the
    account and whether it was created.

    Staff saw the identity document, so the account counts as verified. An existing account
    keeps its profile: the desk only fills what is still empty. A new account gets a random
    password nobody knows; the visitor sets their own with "forgot password" (which serves
    only accounts with a usable password) to download from the portal."""
    _require_staff(by)
    email = User.objects.normalize_email(email.strip()).lower()
    if not email:
        raise DeskError(_("The account needs an e-mail address."))
    with transaction.atomic():
        visit = _serving(visit, by)
        account = User.objects.select_for_update().filter(email__iexact=email).first()
        created = account is None
        if created:
            account = _account_create(email=email, profile=profile)
            _account_welcome(account)
        else:
            _account_complete(account, profile)
        visitor = visit.visitor
        visitor.user = account
        visitor.email = visitor.email or email
        visitor.save(update_fields=["user", "email"])
        cart = cart_of(customer=account)
        if cart is not None and visit.order_id is None:
            visit.order = cart
            visit.save(update_fields=["order"])
    return account, created


def _account_welcome(account: User) -> None:
    """Tell the visitor their account exists, with a link to choose a password (valid as long
    as a password-reset link), so they can follow the order and download in the portal."""
    link = password_reset_link(user=account)
    email_queue(
        to=account.email,
        template="desk_account_created",
        context={"user": account, "link": link},
        language=account.language,
        sensitive=True,
    )


def _account_create(*, email: str, profile: dict) -> User:
    """Staff saw the identity document: the account counts as verified."""
    fields = {name: profile[name] for name in PROFILE_FIELDS if profile.get(name)}
    try:
        return customer_account_create(
            email=email,
            full_name=fields.pop("full_name", ""),
            language=fields.pop("language", ""),
            verified=True,
            **fields,
        )
    except AccountExistsError as exc:  # made a moment ago, at another desk or online
        raise DeskError(_("An account with this e-mail address was just made: try again.")) from exc


def account_is_visitors(account: User, number: str) -> bool:
    return bool(account.id_number) and identity_normalize(account.id_number) == (
        identity_normalize(number)
    )


def _account_complete(account: User, profile: dict) -> None:
    """An existing account is linked only when it is provably the visitor's: confirmed by its
    owner, and holding the identity document staff checked at the desk. Typing an e-mail
    address proves nothing; linking a stranger's account would give them the order."""
    if not account.is_customer:
        raise DeskError(_("This e-mail address belongs to an office account, not a customer's."))
    if not account.is_active:
        raise DeskError(_("This account is deactivated."))
    if account.email_verified_at is None:
        raise DeskError(
            _(
                "This e-mail address has an account whose owner has not confirmed it yet. Ask "
                "the visitor to log in to the portal and confirm it, or use another address."
            )
        )
    if not account_is_visitors(account, profile.get("id_number", "")):
        raise DeskError(
            _(
                "The account with this e-mail address holds another identity document than the "
                "one you checked. Use the visitor's own address, or ask them to correct their "
                "profile in the portal."
            )
        )
    fields = [name for name in PROFILE_FIELDS if not getattr(account, name) and profile.get(name)]
    for name in fields:
        setattr(account, name, profile[name])
    if fields:
        account.save(update_fields=fields)


# --- the cart and the request -------------------------------------------------------------------


def desk_cart_add(
    *, visit: Visit, by: User, product: Product, selection: Selection | None = None
) -> OrderLine:
    """Put a product in the visitor's cart as the catalog sells it: whole (a publication, the
    full set of a dataset, every area of a map), or as chosen with the catalog's picker
    (variables, regions, map areas), at the prices the online cart gives the same choice."""
    _require_staff(by)
    with transaction.atomic():
        visit = _serving(visit, by)
        _still_a_cart(visit)
        if product.office_id != visit.office_id:
            raise DeskError(
                _("Only products of %(office)s are sold at this desk.")
                % {"office": visit.office.name}
            )
        try:
            line = order_services.cart_add(
                customer=_customer_of(visit), product=product, selection=selection or Selection()
            )
        except OrderError as exc:
            raise DeskError(exc.message) from exc
        if visit.order_id != line.order_id:
            visit.order_id = line.order_id
            visit.save(update_fields=["order"])
    return line


def desk_cart_remove(*, visit: Visit, by: User, line_id: int) -> None:
    _require_staff(by)
    with transaction.atomic():
        visit = _serving(visit, by)
        _still_a_cart(visit)
        order_services.cart_remove(customer=_customer_of(visit), line_id=line_id)


def desk_order_submit(
    *,
    visit: Visit,
    by: User,
    ip: str | None,
    terms_accepted: bool,
    abstract: dict[str, str],
    abstract_file: UploadedFile | None = None,
    exemption_letter: UploadedFile | None = None,
) -> Order:
    """Send the visitor's cart as their request, through the online checks. Staff attest that
    the visitor read and accepted the terms at the desk."""
    _require_staff(by)
    with transaction.atomic():
        visit = _serving(visit, by)
        customer = _customer_of(visit)
        cart = cart_of(customer=customer)
        if cart is None:
            raise DeskError(_("The cart is empty."))
        note = _(
            "Sent at the walk-in desk (ticket %(ticket)s) by %(staff)s for the visitor, who "
            "read and accepted the terms of purchase at the desk."
        ) % {"ticket": visit.ticket, "staff": by.full_name or by.email}
        try:
            order = order_services.order_submit(
                order=cart,
                by=customer,
                ip=ip,
                terms_accepted=terms_accepted,
                abstract=abstract,
                abstract_file=abstract_file,
                exemption_letter=exemption_letter,
                channel=OrderChannel.WALK_IN,
                note=note,
                entered_by=by,
                # The desk's office serves the request; another office's products are refused.
                office=visit.office,
            )
        except OrderError as exc:
            raise DeskError(exc.message) from exc
        visit.order = order
        visit.save(update_fields=["order"])
    return order


# --- statistical consultation -------------------------------------------------------------------


def desk_consultation_redirect(*, visit: Visit, by: User, reason: str) -> Visit:
    """The data asked for do not fit what the visitor needs: the request is rejected with the
    reason and the visitor goes to statistical consultation (domain: walk-in service) as the
    same visit: with its ticket and PIN it waits in the consultation line (B), where the next
    desk calling consultation calls it; this desk is free for its next visitor."""
    _require_staff(by)
    reason = (reason or "").strip()
    if not reason:
        raise DeskError(_("Say why the request does not fit."))
    note = _("Sent to statistical consultation: %(reason)s") % {"reason": reason}
    with transaction.atomic():
        # Sent on already (a second click): the visit waits in the consultation line.
        done = Visit.objects.select_for_update().filter(
            pk=visit.pk, redirected_to_consultation=True
        )
        if (sent_on := done.first()) is not None:
            return sent_on
        visit = _serving(visit, by)
        order = visit.order
        if order is not None and order.status != S.DRAFT:
            try:
                order_reject(order=order, by=by, reason=note)
            except OrderError as exc:
                raise DeskError(exc.message) from exc
        elif order is not None:
            # A cart never sent is no desk order; it stays the customer's cart.
            visit.order = None
            visit.save(update_fields=["order"])
        visit = visit_refer_to_consultation(visit=visit, by=by, note=note)
    return visit
