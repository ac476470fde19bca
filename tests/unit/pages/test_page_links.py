"""Links packed compactly come back exactly as they went in: targets, files, lines and kinds, in order."""
from __future__ import annotations

import pickle

from costhub.pages.page_links import Link, PackedLinks, pack_links

LINKS = (Link("../glossary/#job-id", "content/index.md", 12, False),
         Link("billing-transparency.md", "content/index.md", 0, True),
         Link("https://example.org/a b", "data/pages.yml", 2**40, False),
         Link("", "content/index.md", 7, True),
         Link("#ünïcode", "data/pages.yml", 1, True))


def test_packed_links_iterate_as_the_links_went_in() -> None:
    packed = pack_links(LINKS)
    assert tuple(packed) == LINKS and len(packed) == 5
    assert packed.files == ("content/index.md", "data/pages.yml")
    # Kinds by hand: file index × 2, plus 1 for a Markdown link.
    assert [kind for kind in memoryview(packed.kinds).cast("I")] == [0, 1, 2, 1, 3]
    assert list(memoryview(packed.lines).cast("q")) == [12, 0, 2**40, 7, 1]


def test_packed_links_join_compare_and_pickle() -> None:
    head, tail = pack_links(LINKS[:2]), pack_links(LINKS[2:])
    joined = head + tail
    assert tuple(joined) == LINKS and joined == pack_links(LINKS)
    assert hash(joined) == hash(pack_links(LINKS))
    assert joined != pack_links(LINKS[::-1])
    assert pickle.loads(pickle.dumps(joined)) == joined
    assert tuple(PackedLinks()) == () and len(PackedLinks()) == 0 and pack_links([]) == PackedLinks()
    assert tuple(PackedLinks() + head) == LINKS[:2]


def test_packed_links_moved_to_one_file_and_line_keep_their_targets_and_kinds() -> None:
    moved = pack_links(LINKS).at("data/pages.yml", 40)
    assert tuple(moved) == (Link("../glossary/#job-id", "data/pages.yml", 40, False),
                            Link("billing-transparency.md", "data/pages.yml", 40, True),
                            Link("https://example.org/a b", "data/pages.yml", 40, False),
                            Link("", "data/pages.yml", 40, True),
                            Link("#ünïcode", "data/pages.yml", 40, True))
    assert moved.files == ("data/pages.yml",) and PackedLinks().at("data/pages.yml", 1) == PackedLinks()


def test_packed_links_joined_move_the_second_files_indexes() -> None:
    head = pack_links([Link("a", "data/pages.yml", 3, False)])
    tail = pack_links([Link("b", "content/x.md", 9, True), Link("c", "data/pages.yml", 4, False),
                       Link("d", "content/y.md", 1, False)])
    joined = head + tail
    assert joined.files == ("data/pages.yml", "content/x.md", "content/y.md")
    # By hand: a at file 0 (0), b at file 1 as Markdown (3), c at file 0 (0), d at file 2 (4).
    assert list(memoryview(joined.kinds).cast("I")) == [0, 3, 0, 4]
    assert tuple(joined) == (*head, *tail) and joined == pack_links([*head, *tail])
    assert head + PackedLinks() is head and PackedLinks() + tail is tail
