from .microdata import (
    AttachmentKind,
    Category,
    DataFile,
    DataFormat,
    Dataset,
    DatasetAttachment,
    RegionRecords,
    Variable,
    VariableType,
)
from .products import (
    DigitalMap,
    MapLevel,
    Product,
    ProductKind,
    Publication,
    PublicationLanguage,
    SearchTerm,
    Subject,
)
from .regions import Region, RegionLevel
from .tariffs import Tariff, TariffItem

__all__ = [
    "AttachmentKind",
    "Category",
    "DataFile",
    "DataFormat",
    "Dataset",
    "DatasetAttachment",
    "DigitalMap",
    "MapLevel",
    "Product",
    "ProductKind",
    "Publication",
    "PublicationLanguage",
    "Region",
    "RegionLevel",
    "RegionRecords",
    "SearchTerm",
    "Subject",
    "Tariff",
    "TariffItem",
    "Variable",
    "VariableType",
]
