"""Lifecycle checks: a page, comparison row or preset that offers a retired price as current is a warning (rows and
presets are checked when the comparisons load; pages here, once rendered)."""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from ..data.model import Record
from ..errors import ContentError
from ..pages.site import RenderedPage, Site
from ..pages.source_map import build_source_map
from ..review.catalog import RETIRED, Locator

_OFFER = re.compile(r'data-offer="current" data-record="prices:([a-z0-9-]+)"')
HINT = "remove it or point it at a current price; the retired figure stays listed with its shutdown date"


# Every place the site offers a retired price as current: pages (price_point), comparison rows and presets.
def lifecycle_warnings(site: Site, pages: Iterable[RenderedPage]) -> list[ContentError]:
    offers = list(site.catalog_checks.warnings) if site.catalog_checks is not None else []
    return sorted(set(offers) | set(_page_offers(site, pages)))


# price_point() calls on rendered pages whose price is retired, at the line of the call.
def _page_offers(site: Site, pages: Iterable[RenderedPage]) -> Iterator[ContentError]:
    catalog = site.catalog
    if catalog is None:
        return
    for page in pages:
        matches = [match for match in _OFFER.finditer(page.body)]
        retired = [(match, catalog.price(match.group(1))) for match in matches]
        retired = [(match, price) for match, price in retired if price is not None and catalog.status(price) == RETIRED]
        if not retired:
            continue
        source_map = build_source_map(site.renderer.env, site.page_source(page), page.body, page.line_offset)
        for match, price in retired:
            yield ContentError(page.file, source_map.line(match.start()), 0, "",
                               f"offers prices:{price.id} as current, but it was retired on {price.shutdown_on} "
                               f"({retired_at(site, price)})", HINT)


# "data/prices.yml:LINE" of a price's shutdown_on field.
def retired_at(site: Site, price: Record) -> str:
    index = site.catalog.prices.index(price) if site.catalog else 0
    return Locator(site.root, site.data.documents).where(price.file, ("prices", index, "shutdown_on"))
