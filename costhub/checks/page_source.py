"""Checks on what editors write in a page file: no `#` title of its own (the catalog gives it), and every guide
opens with its summary box, `{{ guide_intro() }}`."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from ..data.yamlfile import read_text
from ..errors import ContentError, ContentErrors
from ..markup.markdown_source import FrontMatterError, shield_code, split_front_matter
from ..pages.site import CONTENT_DIR, Site
from .links import GUIDES_SECTION

_OWN_TITLE = re.compile(r"^ {0,3}#(?!#)(?:[ \t]+(?P<text>.*?))?[ \t#]*$|^(?P<setext>[^\s].*)\n {0,3}=+[ \t]*$",
                        re.MULTILINE)
_GUIDE_INTRO = re.compile(r"\{\{-?\s*guide_intro\(\s*\)\s*-?\}\}")


# Every page-source problem of the site: a written `#` title next to the catalog's, a guide without guide_intro().
def page_source_errors(site: Site) -> list[ContentError]:
    errors: list[ContentError] = []
    for src_uri, path in site.sources().items():
        record = site.page_for(src_uri)
        if record is None:
            continue
        body, offset = _body(site, src_uri, path)
        text = shield_code(body)[0]
        display = f"{CONTENT_DIR}/{src_uri}"
        errors.extend(_own_titles(display, text, offset, record.title))
        if record.section == GUIDES_SECTION and not _GUIDE_INTRO.search(text):
            errors.append(ContentError(display, 1 + offset, 0, "",
                                       "guide has no {{ guide_intro() }}: its summary, quick answer and audience "
                                       "from data/pages.yml are not shown",
                                       "put {{ guide_intro() }} on the first line of the page"))
    return errors


# A page's body as written and its front-matter line count, from the load's render when there is one.
def _body(site: Site, src_uri: str, path: Path) -> tuple[str, int]:
    rendered = site.prerendered.get(src_uri)
    if rendered is not None:
        return site.page_source(rendered[1]), rendered[1].line_offset
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
