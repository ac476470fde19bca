"""SiteData's keyed lookups: by id, by a field's value (a list field matches each item), by any of several values,
always in file order; and a data file parsed once while it does not change."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from costhub.data.load import load_site_data
from costhub.data.model import Record, SiteData

ROOT = Path(__file__).resolve().parents[3]


def record(line: int, **values: object) -> Record:
    return Record(values, "data/things.yml", line, f"things[{line}]")


THINGS = (
    record(3, id="a", page="index", media=("image", "video"), size=1),
    record(7, id="b", page="guide", media=("video",), size=1),
    record(11, id="c", page="index", media=(), size=2),
    record(15, id="d", page="index", media=("voice", "video"), nested=record(16, id="x")),
    record(19, id="a", page="later-duplicate"),
)
DATA = SiteData(settings=record(1), kinds={"things": THINGS})


def ids(records: tuple[Record, ...]) -> list[str]:
    return [item.id for item in records]


def test_get_finds_by_id_and_the_first_record_wins_like_a_scan() -> None:
    assert DATA.get("things", "c") is THINGS[2]
    assert DATA.get("things", "a") is THINGS[0]
    assert DATA.get("things", "zz") is None and DATA.get("nothing", "a") is None
    assert DATA.ids("things") == ["a", "b", "c", "d"]


def test_where_matches_equal_values_and_items_of_list_fields_in_file_order() -> None:
    assert ids(DATA.where("things", "page", "index")) == ["a", "c", "d"]
    assert ids(DATA.where("things", "media", "video")) == ["a", "b", "d"]
    assert ids(DATA.where("things", "media", "voice")) == ["d"]
    assert ids(DATA.where("things", "size", 2)) == ["c"]
    assert DATA.where("things", "media", "general") == ()
    assert DATA.where("things", "missing_field", None) == THINGS  # a field no record has reads as None everywhere
    assert DATA.where("nothing", "page", "index") == ()


def test_where_any_unions_values_once_each_in_file_order() -> None:
    assert ids(DATA.where_any("things", "media", ["voice", "image"])) == ["a", "d"]
    assert ids(DATA.where_any("things", "media", ("video", "voice", "video"))) == ["a", "b", "d"]
    assert ids(DATA.where_any("things", "page", "guide")) == ["b"]  # one value given as text is not split into letters
    assert DATA.where_any("things", "media", []) == ()


def test_records_compare_by_value_and_are_not_hashable() -> None:
    assert record(3, id="a") == record(99, id="a")
    assert record(3, id="a") != record(3, id="b")
    assert record(3, id="a") != {"id": "a"}
    with pytest.raises(TypeError):
        hash(record(3, id="a"))


def test_an_unchanged_file_gives_the_same_records_again_and_an_edit_new_ones(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    first = load_site_data(tmp_path / "data", tmp_path)
    faqs = tmp_path / "data" / "faqs.yml"
    faqs.write_text(faqs.read_text(encoding="utf-8").replace("question: Why are media", "question: Why are the media", 1),
                    encoding="utf-8")
    second = load_site_data(tmp_path / "data", tmp_path)
    assert second.all("units") is first.all("units")
    assert second.all("faqs") is not first.all("faqs")
    assert second.get("faqs", "media-harder-than-chat").question.startswith("Why are the media")
    assert second.documents["data/faqs.yml"].text == faqs.read_text(encoding="utf-8")
