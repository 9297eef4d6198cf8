from celery import shared_task


@shared_task(ignore_result=True)
def facet_columns_read(generation: int) -> None:
    """The facet columns of a new catalog generation, read into the shared cache by the worker
    before the next search asks for them (catalog.columns); nothing when a later change has
    moved the catalog on already (its own task reads those)."""
    from .columns import columns_share
    from .search import catalog_generation

    if catalog_generation() == generation:
        columns_share(generation)
