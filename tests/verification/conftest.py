from tests.orders.conftest import dataset, publication  # noqa: F401
