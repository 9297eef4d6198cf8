from .microdata import Category, DataFile, Dataset, DatasetAttachment, Variable
from .products import DigitalMap, MapLevel, Product, ProductKind, Publication, Subject
from .regions import Region, RegionLevel
from .tariffs import Tariff, TariffItem

__all__ = [
    "Category",
    "DataFile",
    "Dataset",
    "DatasetAttachment",
    "DigitalMap",
    "MapLevel",
    "Product",
    "ProductKind",
    "Publication",
    "Region",
    "RegionLevel",
    "Subject",
    "Tariff",
    "TariffItem",
    "Variable",
]
