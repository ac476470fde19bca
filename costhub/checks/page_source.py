"""Checks on what editors write in a page file: no `#` title of its own (the catalog gives it), and every guide
opens with its summary box, `{{ guide_intro() }}`."""
from __future__ import annotations

import re
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
        display = f"{CONTENT_DIR}/{src_uri}"
        try:
            _meta, body, offset = split_front_matter(read_text(path, display))
        except (ContentErrors, FrontMatterError):
            continue  # rendering the page reports these, at their line
        errors.extend(_own_titles(display, body, offset, record.title))
        if record.section == GUIDES_SECTION and not _GUIDE_INTRO.search(shield_code(body)[0]):
            errors.append(ContentError(display, 1 + offset, 0, "",
                                       "guide has no {{ guide_intro() }}: its summary, quick answer and audience "
                                       "from data/pages.yml are not shown",
                                       "put {{ guide_intro() }} on the first line of the page"))
    return errors


# A warning for each level-1 heading the page writes itself (the build already adds the catalog title as its H1).
def _own_titles(display: str, body: str, offset: int, title: str) -> Iterator[ContentError]:
    text = shield_code(body)[0]
    for match in _OWN_TITLE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1 + offset
        written = (match["text"] or match["setext"] or "").strip()
        yield ContentError(display, line, 0, "", f"the page writes its own title {written!r}; the catalog title "
                                                 f"{title!r} is already its heading",
                           "remove this line, or change `title` in data/pages.yml; use ## for sections")
