"""The one base of the errors that services raise for people to read."""


class ApplicationError(Exception):
    """A move that is not allowed now, or not for this person; nothing was changed.

    `message` is translated text for the person who tried it. Views, forms and admin actions
    catch this base and show the message; each app raises its own subclass (OrderError,
    BillingError, ...) so that a caller can still tell them apart.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def text_within(text: str, limit: int, *, error: type[ApplicationError]) -> str:
    """The text, or `error` when it is longer than `limit` characters: typed without a form
    (a script, a service called directly), since the forms refuse it first."""
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    if len(text or "") > limit:
        raise error(
            _("Write at most %(limit)s characters.")
            % {"limit": number_format(limit, force_grouping=True)}
        )
    return text
