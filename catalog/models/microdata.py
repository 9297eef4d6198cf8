from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from silastik.storage import private_storage

from .products import Product, ProductKind
from .regions import Region, RegionLevel


class Dataset(Product):
    """A microdata dataset: sold as the full set or as chosen variables."""

    survey_name = models.CharField(_("survey"), max_length=200)
    period = models.CharField(_("period"), max_length=100, blank=True)
    coverage = models.CharField(
        _("coverage / level"),
        max_length=200,
        blank=True,
        help_text=_("For example: national, representative down to regency/city."),
    )
    producer = models.CharField(_("producer"), max_length=200, blank=True)
    ddi_id = models.CharField(
        _("DDI identifier"),
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The codebook's IDNo; importing the same codebook again updates this dataset."),
    )
    full_size_bytes = models.PositiveBigIntegerField(
        _("size of the full set (bytes)"),
        default=0,
        help_text=_("As stored; the full set is priced from it."),
    )
    codebook_imported_at = models.DateTimeField(_("codebook imported at"), null=True, blank=True)
    region_variable = models.CharField(
        _("region variable"),
        max_length=64,
        blank=True,
        help_text=_(
            "The variable whose values are the codes of the regions the dataset can be limited "
            "to, e.g. R101 or prov; the frequencies of its value labels give each data file's "
            "records per region. Empty: the import recognises it by its values."
        ),
    )

    class Meta:
        verbose_name = _("microdata dataset")
        verbose_name_plural = _("microdata datasets")

    def save(self, *args, **kwargs) -> None:
        self.kind = ProductKind.MICRODATA
        super().save(*args, **kwargs)

    def search_keywords(self) -> str:
        return " ".join(filter(None, [self.survey_name, self.period]))

    def region_choices(self) -> models.QuerySet[Region]:
        """Regions the dataset can be limited to: the areas one level below its coverage (the
        provinces for a nationwide dataset)."""
        if self.region_id is None:
            return Region.objects.filter(level=RegionLevel.PROVINCE)
        return Region.objects.filter(parent_id=self.region_id)


class DataFormat(models.TextChoices):
    """Formats of microdata files: an office's master file, and the product a customer orders."""

    SAV = "sav", _("SPSS (.sav)")
    DTA = "dta", _("Stata (.dta)")
    CSV = "csv", _("CSV")


class DataFile(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="files")
    file_id = models.CharField(
        _("file id"), max_length=40, help_text=_("As in the codebook, e.g. F1.")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    records = models.PositiveBigIntegerField(_("records"), default=0)
    record_length = models.PositiveIntegerField(_("record length"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # The office's master data file for this codebook file, which the portal cuts customers'
    # products from (orders.cutting); checked against the codebook when attached.
    master = models.FileField(
        _("master data file"), storage=private_storage, upload_to="masters/%Y/", blank=True
    )
    master_format = models.CharField(
        _("master format"), max_length=3, choices=DataFormat.choices, blank=True
    )
    master_name = models.CharField(_("master file name"), max_length=200, blank=True)
    master_bytes = models.PositiveBigIntegerField(_("master size (bytes)"), null=True, blank=True)
    master_records = models.PositiveBigIntegerField(_("master records"), null=True, blank=True)
    master_attached_at = models.DateTimeField(_("master attached at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data file")
        verbose_name_plural = _("data files")
        ordering = ["dataset", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "file_id"], name="catalog_datafile_unique")
        ]

    def __str__(self) -> str:
        return self.name


class RegionRecords(models.Model):
    """How many records of a data file lie in one of the regions the dataset can be limited to:
    what a regional subset is estimated from. Records differ per file (households, persons),
    so each file has its own counts; imported from the region variable's frequencies or
    entered by staff."""

    file = models.ForeignKey(
        DataFile,
        on_delete=models.CASCADE,
        related_name="region_records",
        verbose_name=_("data file"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    records = models.PositiveBigIntegerField(_("records"))

    class Meta:
        verbose_name = _("records in a region")
        verbose_name_plural = _("records per region")
        ordering = ["file", "region"]
        constraints = [
            models.UniqueConstraint(fields=["file", "region"], name="catalog_regionrecords_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_id}: {self.records}"

    def clean(self) -> None:
        super().clean()
        data_file = getattr(self, "file", None)
        dataset = getattr(data_file, "dataset", None)
        if data_file is None or dataset is None:
            return
        errors = {}
        if self.region_id and not dataset.region_choices().filter(pk=self.region_id).exists():
            errors["region"] = ValidationError(
                _("%(code)s is not one of the regions this dataset can be limited to.")
                % {"code": self.region_id},
                code="region_not_offered",
            )
        if self.records is not None and self.records > data_file.records:
            errors["records"] = ValidationError(
                _("A region cannot have more records than its data file (%(records)s).")
                % {"records": intcomma(data_file.records)},
                code="more_than_file",
            )
        if errors:
            raise ValidationError(errors)


class VariableType(models.TextChoices):
    NUMERIC = "numeric", _("numeric")
    CHARACTER = "character", _("character")


class Variable(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="variables")
    file = models.ForeignKey(
        DataFile, on_delete=models.CASCADE, related_name="variables", verbose_name=_("data file")
    )
    var_id = models.CharField(_("variable id"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=64)
    label = models.CharField(_("label"), max_length=500, blank=True)
    width = models.PositiveIntegerField(_("width"), default=0)
    var_type = models.CharField(
        _("type"), max_length=16, choices=VariableType.choices, default=VariableType.NUMERIC
    )
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=0)
    question = models.TextField(_("question"), blank=True)
    # Kept with the variable so the codebook page can show it without loading the categories.
    category_count = models.PositiveIntegerField(_("value labels"), default=0)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("variable")
        verbose_name_plural = _("variables")
        ordering = ["dataset", "position"]
        constraints = [
            models.UniqueConstraint(fields=["file", "name"], name="catalog_variable_unique")
        ]
        indexes = [models.Index(fields=["dataset", "position"])]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    variable = models.ForeignKey(Variable, on_delete=models.CASCADE, related_name="categories")
    value = models.CharField(_("value"), max_length=64)
    label = models.CharField(_("label"), max_length=500, blank=True)
    frequency = models.PositiveBigIntegerField(_("frequency"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("value label")
        verbose_name_plural = _("value labels")
        ordering = ["variable", "position"]

    def __str__(self) -> str:
        return f"{self.value} = {self.label}"


class AttachmentKind(models.TextChoices):
    SAMPLE = "sample", _("Sample data")
    RECORD_LAYOUT = "record_layout", _("Record layout")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")
    OTHER = "other", _("Other document")


class DatasetAttachment(models.Model):
    """Free public downloads beside a dataset."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="datasets/")
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("free download")
        verbose_name_plural = _("free downloads")
        ordering = ["dataset", "position", "pk"]

    def __str__(self) -> str:
        return self.title
