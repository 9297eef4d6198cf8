from silastik.errors import ApplicationError


class BillingError(ApplicationError):
    """A money move that is refused; nothing was changed."""
