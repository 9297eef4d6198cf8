"""The demo catalogue of BPS Kabupaten Banjarnegara: regions, subjects, publications, microdata
datasets (imported through the DDI importer, as staff would) and digital maps.

Everything is deterministic and keyed by slug or DDI identifier, so seeding again updates the
same rows instead of adding new ones. The content is data, written in Indonesian as BPS
publishes it; it is not translated. It lives in catalog/data/demo/ (variable tables, item
lists, publications); the modules here only read it:

- seed: catalog_demo_seed() and the rows it writes (regions, subjects, maps, downloads);
- publications: the publication specs;
- datasets: the five microdata datasets;
- codebooks: the DDI Codebook 2.5 generator and the reader of the variable tables;
- datafiles: where the data files are and how they are read.
"""

from .codebooks import CodebookFile, CodebookVariable, ddi_codebook
from .seed import catalog_demo_seed

__all__ = ["CodebookFile", "CodebookVariable", "catalog_demo_seed", "ddi_codebook"]
