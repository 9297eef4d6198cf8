from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silastik.storage import private_storage


class SearchDocumentField(SearchVectorField):
    """A tsvector on PostgreSQL; plain text elsewhere (SQLite searches with LIKE instead)."""

    def db_type(self, connection) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class ProductKind(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    MICRODATA = "microdata", _("Microdata")
    MAP = "map", _("Digital map")


class Subject(models.Model):
    name = models.CharField(_("name (Indonesian)"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    slug = models.SlugField(unique=True)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["name"]

    def __str__(self) -> str:
        # In the language of the page (the back office's filters and choices too).
        return self.display_name(get_language())

    def display_name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name


class Product(models.Model):
    """Whatever the catalog sells. Publications, datasets and maps extend it (one table each),
    so listing, search and the orders refer to one kind of row."""

    kind = models.CharField(_("kind"), max_length=16, choices=ProductKind.choices, editable=False)
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    # Shown on the English site where staff provide them; the Indonesian ones otherwise.
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("subject")
    )
    region = models.ForeignKey(
        "catalog.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("region"),
        help_text=_("The area the product covers; empty for nationwide."),
    )
    # The office that publishes it and serves its orders (national products: the centre).
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("published by"),
    )
    is_published = models.BooleanField(_("published"), default=True)
    # Text besides title and description that search should find (catalogue number, survey name).
    keywords = models.CharField(_("keywords"), max_length=500, blank=True, editable=False)
    search_document = SearchDocumentField(null=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-year", "title"]
        indexes = [
            models.Index(fields=["is_published", "kind"]),
            # catalog_product_newest_idx (year DESC NULLS LAST, title, id), the default order,
            # is made by migration 0003 on PostgreSQL only: SQLite has no NULLS LAST in indexes.
            # The order by title, and the catalog's facet columns reading it (catalog.columns).
            models.Index(
                fields=["title", "id"],
                name="catalog_product_title_idx",
                condition=models.Q(is_published=True),
            ),
            # Facet counts read only these columns: counted from the index, not the wide rows.
            models.Index(
                fields=["kind", "subject", "year", "region", "office"],
                name="catalog_product_facets_idx",
                condition=models.Q(is_published=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # The English title is searched too: a reader of the English site types English words.
        self.keywords = " ".join(filter(None, [self.search_keywords(), self.title_en]))[:500]
        super().save(*args, **kwargs)
        from catalog.services import products_reindex

        products_reindex(ids=[self.pk])

    def get_absolute_url(self) -> str:
        return reverse("catalog:detail", kwargs={"slug": self.slug})

    @property
    def shown_title(self) -> str:
        """The title in the reader's language: the English one on the English site, if any."""
        return self.title_en if self.title_en and get_language() == "en" else self.title

    @property
    def shown_description(self) -> str:
        if self.description_en and get_language() == "en":
            return self.description_en
        return self.description

    def search_keywords(self) -> str:
        return ""

    @property
    def detail(self) -> "Product":
        """The publication, dataset or map behind this row (selected with the row in lists)."""
        return {
            ProductKind.PUBLICATION: lambda: self.publication,
            ProductKind.MICRODATA: lambda: self.dataset,
            ProductKind.MAP: lambda: self.digitalmap,
        }[self.kind]()


class SearchTerm(models.Model):
    """One lexeme of a product's search document with the rank PostgreSQL's ts_rank gives the
    product for that lexeme alone (catalog.services.products_reindex keeps them; PostgreSQL
    only).

    A search of one word reads its products and ranks from the lexeme's index alone (an index-
    only scan of a few hundred pages) instead of visiting every matching product's row: at
    200.000 publications a common word matches 25.000 products spread over most of the table's
    pages. Searches of several words keep to the search document's GIN index, whose bitmaps
    intersect before any row is read (catalog.search)."""

    pk = models.CompositePrimaryKey("product", "lexeme")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    lexeme = models.TextField()
    score = models.FloatField()

    class Meta:
        indexes = [
            # Prefix ranges (LIKE 'duduk%') read in the index alone, with the product and its
            # rank beside the lexeme.
            models.Index(
                fields=["lexeme"],
                opclasses=["text_pattern_ops"],
                include=["product", "score"],
                name="catalog_searchterm_lexeme",
            ),
        ]

    def __str__(self) -> str:
        return self.lexeme


class PublicationLanguage(models.TextChoices):
    INDONESIAN = "id", _("Indonesian")
    ENGLISH = "en", _("English")
    BILINGUAL = "id-en", _("Indonesian and English")


class Publication(Product):
    catalogue_number = models.CharField(_("catalogue number"), max_length=40, blank=True)
    publication_number = models.CharField(_("publication number"), max_length=40, blank=True)
    issn = models.CharField("ISSN", max_length=20, blank=True)
    isbn = models.CharField("ISBN", max_length=20, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=PublicationLanguage.choices,
        default=PublicationLanguage.INDONESIAN,
    )
    page_count = models.PositiveIntegerField(_("pages"), validators=[MinValueValidator(1)])
    release_date = models.DateField(_("release date"), null=True, blank=True)
    cover = models.ImageField(_("cover"), upload_to="covers/", blank=True)
    softcopy = models.BooleanField(_("softcopy (PDF)"), default=True)
    hardcopy = models.BooleanField(_("hardcopy at the desk"), default=False)
    # Printed copies the publishing office holds and sells (seeds 002, 004), online and at the
    # desk; the price of one copy is the office's for the title. Delivery takes copies out.
    printed_copies = models.PositiveIntegerField(_("printed copies in stock"), default=0)
    printed_price = models.PositiveBigIntegerField(
        _("price of a printed copy (Rp)"),
        null=True,
        blank=True,
        help_text=_("Empty: the title is not sold in print."),
    )
    file = models.FileField(
        _("file to deliver"),
        storage=private_storage,
        upload_to="publications/",
        blank=True,
        help_text=_("Kept private: only delivered to customers who bought it."),
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def save(self, *args, **kwargs) -> None:
        self.kind = ProductKind.PUBLICATION
        super().save(*args, **kwargs)

    def search_keywords(self) -> str:
        return " ".join(filter(None, [self.catalogue_number, self.issn, self.isbn]))


class MapLevel(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("per sub-district")
    VILLAGE = "village", _("per village")


class DigitalMap(Product):
    """A digital map of statistical work areas (wilkerstat). For a regency one map per
    sub-district or village, the customer choosing which; nationwide one map."""

    level = models.CharField(_("detail"), max_length=16, choices=MapLevel.choices)
    file = models.FileField(
        _("file to deliver"),
        storage=private_storage,
        upload_to="maps/",
        blank=True,
        help_text=_("Kept private: only delivered to customers who bought it."),
    )

    class Meta:
        verbose_name = _("digital map")
        verbose_name_plural = _("digital maps")

    def save(self, *args, **kwargs) -> None:
        self.kind = ProductKind.MAP
        super().save(*args, **kwargs)

    @property
    def is_national(self) -> bool:
        return self.region_id is None
