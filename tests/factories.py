import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from silastik.mail.models import OutboundEmail
from silastik.mail.services import email_render
from silastik.users.models import Domicile, IdentityType, Segment, User

PASSWORD = "a-Str0ng-passphrase"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name", locale="id_ID")
    email_verified_at = factory.LazyFunction(timezone.now)
    phone = "0812 3456 7890"
    id_type = IdentityType.KTP
    id_number = factory.Sequence(lambda n: f"{3304010101900000 + n}")
    segment = Segment.GENERAL
    domicile = Domicile.DOMESTIC
    country = "ID"
    address = "Jl. Selamanik No. 1, Banjarnegara"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()


def outbox_message(*, to: str = "someone@example.com", language: str = "id") -> OutboundEmail:
    """A pending outbox row, as email_queue leaves it but without enqueueing a delivery."""
    subject, text, html = email_render(
        template="verify_email",
        context={"user": {"full_name": "Tester"}, "link": "https://x/", "days": 3},
        language=language,
    )
    return OutboundEmail.objects.create(
        to=to,
        template="verify_email",
        language=language,
        subject=subject,
        body_text=text,
        body_html=html,
    )
