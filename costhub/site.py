"""The site as the build sees it: data, page catalog and page rendering, independent of MkDocs."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .calculator import Calculator, load_calculators
from .data import load_site_data
from .errors import ContentError, ContentErrors, did_you_mean
from .markdown_source import split_front_matter
from .model import Record, SiteData
from .render import PageRenderer

CONTENT_DIR = "content"
DATA_DIR = "data"
TEMPLATES_DIR = "overrides"
NAV_SECTIONS = {"guides": "Guides", "tools": "Tools", "reference": "Reference", "editors": "For editors"}


@dataclass(frozen=True)
class Site:
    """A loaded project: its root folder, its validated data, the page renderer and the checked calculators."""

    root: Path
    data: SiteData
    renderer: PageRenderer
    calculators: dict[str, Calculator] = field(default_factory=dict)

    # Load and validate data/ under root; raises ContentErrors.
    @classmethod
    def load(cls, root: Path) -> Site:
        data = load_site_data(root / DATA_DIR, root)
        calculators = load_calculators(data, root)
        return cls(root, data, PageRenderer(root / TEMPLATES_DIR, data, {"calculators": calculators}), calculators)

    # The catalog record for a content file such as "video-generation-webhooks.md".
    def page_for(self, src_uri: str) -> Record | None:
        return self.data.get("pages", src_uri.removesuffix(".md"))

    # The Markdown MkDocs should see for one page: its title as H1, the page header, then the rendered body.
    def render_page(self, src_uri: str, source: str) -> str:
        record = self.page_for(src_uri)
        display = f"{CONTENT_DIR}/{src_uri}"
        if record is None:
            raise ContentErrors([_not_in_catalog(display, self.data)])
        _meta, body, offset = split_front_matter(source)
        rendered = self.renderer.render(body, display, record.id, line_offset=offset)
        header = self.renderer.component("page_header", record)
        return f"# {record.title}\n\n{header}\n\n{rendered}"

    # The nav MkDocs should use, built from the page catalog in its order.
    def nav(self) -> list[Any]:
        pages = self.data.all("pages")
        nav: list[Any] = [{page.nav_title or page.title: f"{page.id}.md"} for page in pages if page.section == "hub"]
        for section, label in NAV_SECTIONS.items():
            entries = [{page.nav_title or page.title: f"{page.id}.md"} for page in pages if page.section == section]
            if entries:
                nav.append({label: entries})
        return nav

    # Problems between content/ and the catalog: pages missing on either side, and every page's macros.
    def check_pages(self) -> list[ContentError]:
        errors: list[ContentError] = []
        content = self.root / CONTENT_DIR
        sources = {path.relative_to(content).as_posix(): path for path in sorted(content.rglob("*.md"))}
        for page in self.data.all("pages"):
            if f"{page.id}.md" not in sources:
                errors.append(ContentError(page.file, page.line, 0, page.path,
                                           f"no page file {CONTENT_DIR}/{page.id}.md for this catalog entry"))
        for src_uri, path in sources.items():
            try:
                self.render_page(src_uri, path.read_text(encoding="utf-8"))
            except ContentErrors as exc:
                errors.extend(exc.errors)
        return errors


# An error for a content page that data/pages.yml does not list.
def _not_in_catalog(display: str, data: SiteData) -> ContentError:
    page_id = Path(display).stem
    hint = did_you_mean(page_id, data.ids("pages")) or f"add an entry with id {page_id!r} to data/pages.yml"
    return ContentError(display, 1, 0, "", "page is not in the page catalog", hint)
