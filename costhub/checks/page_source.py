"""Checks on what editors write in a page file: no `#` title of its own (the catalog gives it), and every guide
opens with its summary box, `{{ guide_intro() }}`."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from ..data.yamlfile import read_text
from ..errors import ContentError, ContentErrors
from ..markup.markdown_source import FrontMatterError, shield_code, split_front_matter
from ..data.model import Record
from ..pages.kept_parts import Keep, work_out_all
from ..pages.site import CONTENT_DIR, Site
from .links import GUIDES_SECTION

_OWN_TITLE = re.compile(r"^ {0,3}#(?!#)(?:[ \t]+(?P<text>.*?))?[ \t#]*$|^(?P<setext>[^\s].*)\n {0,3}=+[ \t]*$",
                        re.MULTILINE)
_GUIDE_INTRO = re.compile(r"\{\{-?\s*guide_intro\(\s*\)\s*-?\}\}")


# Every page-source problem of the site: a written `#` title next to the catalog's, a guide without guide_intro(). A
# rendered page's problems are kept (keep) under its source's digest, its title and its section: all they read.
def page_source_errors(site: Site, keep: Keep = work_out_all) -> list[ContentError]:
    errors: list[ContentError] = []
    for src_uri, path in site.sources().items():
        record = site.page_for(src_uri)
        if record is None:
            continue
        rendered = site.prerendered.get(src_uri)
        if rendered is None:
            errors.extend(_page_errors(src_uri, record, *_written_body(src_uri, path)))
            continue
        digest, page = rendered
        errors.extend(keep(f"page source {src_uri}", (digest, record.title, record.section),
                           lambda: _page_errors(src_uri, record, site.page_source(page), page.line_offset)))
    return errors


# The problems of one page's source, given its body as written and its front-matter line count.
def _page_errors(src_uri: str, record: Record, body: str, offset: int) -> tuple[ContentError, ...]:
    text = shield_code(body)[0]
    display = f"{CONTENT_DIR}/{src_uri}"
    errors = list(_own_titles(display, text, offset, record.title))
    if record.section == GUIDES_SECTION and not _GUIDE_INTRO.search(text):
        errors.append(ContentError(display, 1 + offset, 0, "",
                                   "guide has no {{ guide_intro() }}: its summary, quick answer and audience "
                                   "from data/pages.yml are not shown",
                                   "put {{ guide_intro() }} on the first line of the page"))
    return tuple(errors)


# The body as written and the front-matter line count of a page the load did not render (read from its file).
def _written_body(src_uri: str, path: Path) -> tuple[str, int]:
    try:
        _meta, body, offset = split_front_matter(read_text(path, f"{CONTENT_DIR}/{src_uri}"))
    except (ContentErrors, FrontMatterError):
        return "", 0  # rendering the page reports these, at their line
    return body, offset


# A warning for each level-1 heading the page writes itself (the build already adds the catalog title as its H1),
# given its body with code shielded.
def _own_titles(display: str, text: str, offset: int, title: str) -> Iterator[ContentError]:
    for match in _OWN_TITLE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1 + offset
        written = (match["text"] or match["setext"] or "").strip()
        yield ContentError(display, line, 0, "", f"the page writes its own title {written!r}; the catalog title "
                                                 f"{title!r} is already its heading",
                           "remove this line, or change `title` in data/pages.yml; use ## for sections")
