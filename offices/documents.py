"""What a document shows of the office that issues it: a snapshot of the office's data, so a
PDF is fixed by what its caller hands over (invoices and receipts never change after issue)."""

import base64
import logging
from dataclasses import dataclass

from .models import Office, OfficeLevel

logger = logging.getLogger(__name__)
LOGO_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass(frozen=True)
class Letterhead:
    code: str
    name: str
    address: str
    city: str
    phone: str
    email: str
    is_centre: bool
    head_name: str
    head_nip: str
    treasurer_name: str
    treasurer_nip: str
    agreement_address: str
    bank_name: str
    bank_account_number: str
    bank_account_holder: str
    bank_swift: str
    ministry_code: str
    echelon_code: str
    satker_code: str
    deposit_type: str = ""
    account_code: str = ""
    # The office's logo as a data URI, so the PDF needs no access to storage: "" for none.
    logo_uri: str = ""
    time_zone: str = "Asia/Jakarta"  # the office's clock, which its documents' dates follow

    @property
    def has_transfer_account(self) -> bool:
        return bool(self.bank_account_number and self.bank_swift)


def letterhead_of(office: Office) -> Letterhead:
    return Letterhead(
        code=office.code,
        name=office.name,
        address=office.street_address,
        city=office.city,
        phone=office.phone,
        email=office.email,
        is_centre=office.level == OfficeLevel.CENTRE,
        head_name=office.head_name,
        head_nip=office.head_nip,
        treasurer_name=office.treasurer_name,
        treasurer_nip=office.treasurer_nip,
        agreement_address=office.agreement_address,
        bank_name=office.bank_name,
        bank_account_number=office.bank_account_number,
        bank_account_holder=office.bank_account_holder,
        bank_swift=office.bank_swift,
        ministry_code=office.ministry_code,
        echelon_code=office.echelon_code,
        satker_code=office.satker_code,
        deposit_type=office.deposit_type,
        account_code=office.account_code,
        logo_uri=_logo_uri(office),
        time_zone=office.time_zone,
    )


def _logo_uri(office: Office) -> str:
    if not office.logo:
        return ""
    try:
        with office.logo.open("rb") as file:
            data = file.read()
    except OSError:
        # A lost file must not stop an invoice: the letterhead prints without the logo.
        logger.warning("logo of office %s cannot be read: %s", office.code, office.logo.name)
        return ""
    kind = next((t for magic, t in LOGO_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


# An office's letterhead as the demo and the benchmarks print it (no database needed).
SAMPLE_LETTERHEAD = Letterhead(
    code="3304",
    name="BPS Kabupaten Banjarnegara",
    address="Jl. Selamanik No. 33, Banjarnegara, Jawa Tengah 53415",
    city="Banjarnegara",
    phone="(0286) 591893",
    email="bps3304@bps.go.id",
    is_centre=False,
    head_name="",
    head_nip="",
    treasurer_name="",
    treasurer_nip="",
    agreement_address="BPS Kabupaten Banjarnegara, Jl. Selamanik No. 33, Banjarnegara 53415",
    bank_name="",
    bank_account_number="",
    bank_account_holder="",
    bank_swift="",
    ministry_code="054",
    echelon_code="01",
    satker_code="409512",
    deposit_type="PNBP Fungsional",
    account_code="425139",
)
