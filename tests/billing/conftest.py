# The order fixtures billing builds on: a publication and a dataset to order.
from tests.orders.conftest import dataset, publication  # noqa: F401
