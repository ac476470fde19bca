"""Everything the build writes beside the pages: review.json, the open-data exports and the price feed."""
from __future__ import annotations

from ..pages.kept_parts import Keep, work_out_all
from ..pages.site import DATA_DIR, Site
from ..review.book import REVIEW_JSON, page_url, review_json
from .feed import FEED_PATH, atom_feed
from .open_data import EXPORTS, data_schemas, export_files, export_paths


# Each file by its path under site/, with its text; the same data and day give the same bytes. Each file is kept
# (keep) under what it is made from (records compare by their values, all these files read of them).
def published_files(site: Site, keep: Keep = work_out_all) -> dict[str, str]:
    settings = site.data.settings.site
    catalog = site.catalog
    extra = catalog.shutdowns_json() if catalog is not None else {}
    files = {REVIEW_JSON: keep(REVIEW_JSON, (site.review, settings.url, extra),
                               lambda: review_json(site.review, settings.url, extra))}
    if catalog is not None:
        schemas = data_schemas(site.root / DATA_DIR)
        for kind in EXPORTS:
            files.update(keep(f"export {kind}", (site.data.all(kind), schemas[kind], catalog.today, settings.url),
                              lambda: export_files(kind, site.data.all(kind), schemas[kind], catalog, settings.url)))
        page_of = price_pages(site)
        files[FEED_PATH] = keep(FEED_PATH, (catalog, settings.url, settings.name, page_of),
                                lambda: atom_feed(catalog, settings.url, settings.name, page_of))
    return files


# The paths published_files writes, for the link checks (known before anything is written).
def published_paths() -> set[str]:
    return {REVIEW_JSON, FEED_PATH, *export_paths()}


# The URL of the first place each price is shown on the site, by price id.
def price_pages(site: Site) -> dict[str, str]:
    urls: dict[str, str] = {}
    for price in site.catalog.prices if site.catalog else ():
        item = site.review.get(f"prices:{price.id}")
        citations = site.review.cited_on(item) if item is not None else ()
        if citations:
            urls[price.id] = page_url(site.data.settings.site.url, citations[0].page_id, citations[0].anchor)
    return urls
