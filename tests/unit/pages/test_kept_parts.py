"""KeptParts: a part is taken from the build before only under an equal key, and only the parts a build asks for
are kept for the next."""
from __future__ import annotations

from costhub.pages.kept_parts import KeptParts, work_out_all


def test_an_equal_key_takes_the_earlier_value_and_another_key_works_it_out() -> None:
    earlier = KeptParts()
    first = earlier("a", ("digest-1", "Title"), lambda: ["worked out once"])
    assert earlier.worked_out == ["a"]
    later = KeptParts(earlier.parts)
    assert later("a", ("digest-1", "Title"), lambda: ["worked out again"]) is first
    assert later("a", ("digest-1", "Other title"), lambda: ["new"]) == ["new"]
    assert later.worked_out == ["a"] and later.parts["a"] == (("digest-1", "Other title"), ["new"])


def test_a_part_not_asked_for_is_not_kept_for_the_next_build() -> None:
    earlier = KeptParts()
    earlier("page source a.md", 1, lambda: "a")
    earlier("page source b.md", 2, lambda: "b")
    later = KeptParts(earlier.parts)
    assert later("page source b.md", 2, lambda: "b again") == "b"
    assert later.worked_out == [] and set(later.parts) == {"page source b.md"}


def test_the_same_name_under_a_key_of_another_type_is_worked_out() -> None:
    later = KeptParts({"part": ((1, 2), "kept")})
    assert later("part", [1, 2], lambda: "worked out") == "worked out"  # a list is never equal to a tuple


def test_work_out_all_keeps_nothing() -> None:
    calls: list[int] = []
    for _ in range(2):
        work_out_all("part", 1, lambda: calls.append(1))
    assert calls == [1, 1]
