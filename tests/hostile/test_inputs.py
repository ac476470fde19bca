"""Hostile and careless inputs through `costhub check` (and the other commands), run in process on a fresh copy of
the project: every case exits with the code it must, names the exact file:line, prints no traceback and leaves
content/ and data/ byte-identical. YAML, schemas, dates, files, templates, formulas, links and the command line."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from costhub.pages.sandbox import MAX_CALL_TEXT, MAX_TEXT, RENDER_SECONDS

from .support import CASES, Expect, append, append_bytes, case, line_of, replace_on_line, run_cli, tree_digest

# The day the suite runs on (tests/conftest.py sets SOURCE_DATE_EPOCH to the newest review day in data/).
TODAY = datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), timezone.utc).date()
TOMORROW = TODAY + timedelta(days=1)

FAQ = "  - id: hostile-faq\n    page: index\n    question: {question}\n    answer: {answer}\n"
PAGE_LINK_LINE = "See the [hub](index.md).\n"


# Append one FAQ whose question and answer are given as raw YAML; returns the line of its `question:`.
def add_faq(project: Path, question: str = "Plain question?", answer: str = "Plain answer.") -> int:
    return append(project / "data/faqs.yml", FAQ.format(question=question, answer=answer)) + 2


# Append lines to the glossary page; returns the number of the first.
def add_to_page(project: Path, text: str, page: str = "glossary") -> int:
    return append(project / f"content/{page}.md", "\n" + text) + 1


# ---- YAML -------------------------------------------------------------------------------------------------------

@case
def case_invalid_utf8_in_data(p: Path) -> Expect:
    line = append_bytes(p / "data/faqs.yml", b"  - id: bad-bytes\n    page: index\n    question: caf\xe9?\n    answer: x\n") + 2
    return Expect(1, (f"data/faqs.yml:{line}:18:", "not valid UTF-8 (byte 0xe9)"))


@case
def case_invalid_utf8_in_schema(p: Path) -> Expect:
    append_bytes(p / "data/schemas/faqs.schema.json", b"\xff")
    line = (p / "data/schemas/faqs.schema.json").read_bytes().count(b"\n") + 1
    return Expect(1, (f"data/schemas/faqs.schema.json:{line}:", "not valid UTF-8 (byte 0xff)"))


@case
def case_invalid_utf8_in_page(p: Path) -> Expect:
    line = append_bytes(p / "content/glossary.md", b"\nna\xc3\x28ve\n") + 1
    return Expect(1, (f"content/glossary.md:{line}:3:", "not valid UTF-8 (byte 0xc3)"))


@case
def case_utf16_data_file(p: Path) -> Expect:
    (p / "data/owners.yml").write_bytes((p / "data/owners.yml").read_text().encode("utf-16"))
    return Expect(1, ("data/owners.yml:1:1:", "not valid UTF-8 (byte 0xff)"))


@case
def case_self_referencing_alias(p: Path) -> Expect:
    line = add_faq(p, "&loop [*loop]")
    return Expect(1, (f"data/faqs.yml:{line}:22:", "YAML alias *loop is not allowed"))


@case
def case_alias_bomb(p: Path) -> Expect:
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 10)]
    line = append(p / "data/owners.yml", "\n".join(levels) + "\n") + 1
    return Expect(1, (f"data/owners.yml:{line}:10:", "YAML alias *a0 is not allowed"))


@case
def case_harmless_alias_is_refused_too(p: Path) -> Expect:
    line = add_faq(p, "&q Same question?", "*q")
    return Expect(1, (f"data/faqs.yml:{line + 1}:13:", "YAML alias *q is not allowed"))


@case
def case_star_without_anchor(p: Path) -> Expect:
    line = add_faq(p, "*note")
    return Expect(1, (f"data/faqs.yml:{line}:15:", "'*' starts a value; put the value in quotes"))


@case
def case_merge_key(p: Path) -> Expect:
    line = append(p / "data/faqs.yml", "  - id: merged\n    <<: {page: index, question: q, answer: a}\n") + 1
    return Expect(1, (f"data/faqs.yml:{line}:5:", "YAML merge keys (<<) are not allowed"))


@case
def case_merge_key_in_settings(p: Path) -> Expect:
    line = replace_on_line(p / "data/site.yml", r"^  language: en$", "  <<: {language: en}")
    return Expect(1, (f"data/site.yml:{line}:3:", "YAML merge keys (<<) are not allowed"))


@case
def case_complex_sequence_key(p: Path) -> Expect:
    line = append(p / "data/faqs.yml", "  - id: complex\n    ? [page, question]\n    : index\n") + 1
    return Expect(1, (f"data/faqs.yml:{line}:7:", "keys must be plain text (a list or mapping cannot be a key)"))


@case
def case_complex_mapping_key(p: Path) -> Expect:
    line = append(p / "data/faqs.yml", "  - id: complex\n    {a: 1}: index\n") + 1
    return Expect(1, (f"data/faqs.yml:{line}:5:", "keys must be plain text"))


@case
def case_duplicate_key(p: Path) -> Expect:
    line = add_faq(p)
    append(p / "data/faqs.yml", "    answer: Again.\n")
    return Expect(1, (f"data/faqs.yml:{line + 2}:5:", "duplicate key 'answer'", f"first defined on line {line + 1}"))


@case
def case_python_tag_in_data(p: Path) -> Expect:
    line = add_faq(p, "!!python/object/apply:os.system [echo pwned]")
    return Expect(1, (f"data/faqs.yml:{line}:15:", "unsupported YAML tag"))


@case
def case_custom_tag(p: Path) -> Expect:
    line = add_faq(p, "!secret value")
    return Expect(1, (f"data/faqs.yml:{line}:15:", "unsupported YAML tag '!secret'"))


@case
def case_binary_tag(p: Path) -> Expect:
    line = add_faq(p, "!!binary aGVsbG8=")
    return Expect(1, (f"data/faqs.yml:{line}:", "question"))


@case
def case_control_character(p: Path) -> Expect:
    line = add_faq(p, "bell\x07here")
    return Expect(1, (f"data/faqs.yml:{line}:19:", "control character U+0007 is not allowed in YAML"))


@case
def case_nul_byte(p: Path) -> Expect:
    line = add_faq(p, "nul\x00here")
    return Expect(1, (f"data/faqs.yml:{line}:18:", "control character U+0000 is not allowed in YAML"))


@case
def case_tab_indentation(p: Path) -> Expect:
    line = append(p / "data/faqs.yml", "  - id: tabbed\n\tpage: index\n") + 1
    return Expect(1, (f"data/faqs.yml:{line}:1:", "YAML syntax error"))


@case
def case_unclosed_quote(p: Path) -> Expect:
    line = add_faq(p, '"never closed')
    return Expect(1, ("data/faqs.yml:", "YAML syntax error", "a quoted value is not closed"))


@case
def case_two_documents(p: Path) -> Expect:
    line = append(p / "data/owners.yml", "---\nowners: []\n")
    return Expect(1, (f"data/owners.yml:{line}:1:", "YAML syntax error"))


@case
def case_deep_flow_nesting(p: Path) -> Expect:
    line = add_faq(p, "[" * 5000 + "]" * 5000)
    return Expect(1, (f"data/faqs.yml:{line}:", "YAML syntax error"))


@case
def case_deep_block_nesting(p: Path) -> Expect:
    nested = "".join(f"{'  ' * (depth + 2)}k{depth}:\n" for depth in range(80)) + "  " * 82 + "leaf: 1\n"
    line = append(p / "data/faqs.yml", "  - id: deep\n    page: index\n    question: q\n    answer: a\n    see_also:\n" + nested)
    return Expect(1, ("data/faqs.yml:", "nested more than 64 levels deep"))


@case
def case_number_past_python_digit_limit(p: Path) -> Expect:
    line = add_faq(p, "9" * 5000)
    return Expect(1, (f"data/faqs.yml:{line}:15:", "cannot read", "4300 digits"))


@case
def case_huge_default_number(p: Path) -> Expect:
    line = replace_on_line(p / "data/calculators.yml", r"default: 1000$", "default: 1e999")
    return Expect(1, (f"data/calculators.yml:{line}:",))


@case
def case_nan_default(p: Path) -> Expect:
    line = replace_on_line(p / "data/calculators.yml", r"default: 1000$", "default: .nan")
    return Expect(1, (f"data/calculators.yml:{line}:",))


@case
def case_empty_data_file(p: Path) -> Expect:
    (p / "data/owners.yml").write_text("", encoding="utf-8")
    return Expect(1, ("data/owners.yml:1:1:", "missing required field 'owners'"))


@case
def case_data_file_is_a_list(p: Path) -> Expect:
    (p / "data/owners.yml").write_text("- a\n- b\n", encoding="utf-8")
    return Expect(1, ("data/owners.yml:1:1:", "expected object, got a list"))


@case
def case_number_as_key(p: Path) -> Expect:
    line = append(p / "data/faqs.yml", "  - id: numeric-key\n    page: index\n    question: q\n    answer: a\n    12: x\n") + 4
    return Expect(1, (f"data/faqs.yml:{line}:5:", "unknown key '12'"))


@case
def case_very_long_value_is_fine(p: Path) -> Expect:
    add_faq(p, "Long? " + "word " * 50_000)
    return Expect(0, ("ok:",))


@case
def case_byte_order_mark_is_fine(p: Path) -> Expect:
    (p / "data/owners.yml").write_bytes(b"\xef\xbb\xbf" + (p / "data/owners.yml").read_bytes())
    return Expect(0, ("ok:",))


@case
def case_unknown_key_with_hint(p: Path) -> Expect:
    line = append(p / "data/faqs.yml", "  - id: typo\n    page: index\n    question: q\n    anwser: a\n") + 3
    return Expect(1, (f"data/faqs.yml:{line}:5:", "unknown key 'anwser'", "did you mean 'answer'?"))


# ---- schemas and data files ---------------------------------------------------------------------------------------

@case
def case_stray_comma_in_schema(p: Path) -> Expect:
    line = replace_on_line(p / "data/schemas/faqs.schema.json", r'"additionalProperties": false,$',
                           '"additionalProperties": false,,')
    return Expect(1, (f"data/schemas/faqs.schema.json:{line}:", "invalid JSON"))


@case
def case_schema_is_not_an_object(p: Path) -> Expect:
    (p / "data/schemas/owners.schema.json").write_text("[]\n", encoding="utf-8")
    return Expect(1, ("data/schemas/owners.schema.json:1:1:", "a schema must be a JSON object"))


@case
def case_empty_schema_file(p: Path) -> Expect:
    (p / "data/schemas/owners.schema.json").write_text("", encoding="utf-8")
    return Expect(1, ("data/schemas/owners.schema.json:1:1:", "invalid JSON"))


@case
def case_schema_with_unresolvable_ref(p: Path) -> Expect:
    (p / "data/schemas/owners.schema.json").write_text('{"$ref": "#/$defs/nowhere"}\n', encoding="utf-8")
    return Expect(1, ("data/schemas/owners.schema.json:1:1:", "the schema cannot be used"))


@case
def case_schema_deeply_nested_json(p: Path) -> Expect:
    (p / "data/schemas/owners.schema.json").write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    return Expect(1, ("data/schemas/owners.schema.json:1:1:", "invalid JSON"))


@case
def case_second_file_for_a_kind(p: Path) -> Expect:
    (p / "data/pages.yaml").write_text("pages: []\n", encoding="utf-8")
    return Expect(1, ("data/pages.yaml:1:1:", "a second file for data kind 'pages' beside data/pages.yml"))


@case
def case_yaml_extension_alone_still_loads(p: Path) -> Expect:
    (p / "data/owners.yml").rename(p / "data/owners.yaml")
    return Expect(0, ("ok:",))


@case
def case_data_file_without_schema(p: Path) -> Expect:
    (p / "data/notes.yml").write_text("notes: []\n", encoding="utf-8")
    return Expect(1, ("data/notes.yml:1:1:", "no schema for data kind 'notes'"))


@case
def case_missing_data_file(p: Path) -> Expect:
    (p / "data/owners.yml").unlink()
    return Expect(1, ("data/owners.yml:", "missing data file"))


# ---- files from outside the project -----------------------------------------------------------------------------

@case
def case_page_linked_to_etc_passwd(p: Path) -> Expect:
    (p / "content/passwd.md").symlink_to("/etc/passwd")
    return Expect(1, ("content/passwd.md:1:", "link resolves outside the project (to /etc/passwd)"))


@case
def case_linked_folder_outside(p: Path) -> Expect:
    (p / "content/system").symlink_to("/etc")
    return Expect(1, ("content/system:1:", "link resolves outside the project (to /etc)"))


@case
def case_data_file_linked_outside(p: Path) -> Expect:
    (p / "data/owners.yml").unlink()
    (p / "data/owners.yml").symlink_to("/etc/hostname")
    return Expect(1, ("data/owners.yml:1:", "link resolves outside the project"))


@case
def case_template_linked_outside(p: Path) -> Expect:
    (p / "overrides/macros/leak.html").symlink_to("/etc/passwd")
    return Expect(1, ("overrides/macros/leak.html:1:", "link resolves outside the project"))


@case
def case_link_to_root_folder(p: Path) -> Expect:
    (p / "content/everything").symlink_to("/")
    return Expect(1, ("content/everything:1:", "link resolves outside the project (to /)"))


@case
def case_dangling_link(p: Path) -> Expect:
    (p / "content/gone.md").symlink_to(p / "content/nothing-here.md")
    return Expect(1, ("content/gone.md:1:", "leads nowhere"))


@case
def case_link_loop(p: Path) -> Expect:
    (p / "content/a.md").symlink_to(p / "content/b.md")
    (p / "content/b.md").symlink_to(p / "content/a.md")
    return Expect(1, ("content/a.md:1:", "content/b.md:1:", "leads nowhere"))


@case
def case_link_inside_the_project_is_a_page_like_any(p: Path) -> Expect:
    (p / "content/copy.md").symlink_to(p / "content/glossary.md")
    return Expect(1, ("content/copy.md:1:", "page is not in the page catalog"))


@case
def case_folder_named_like_a_page(p: Path) -> Expect:
    (p / "content/folder.md").mkdir()
    return Expect(0, ("ok:",))


@case
def case_catalog_entry_without_its_page(p: Path) -> Expect:
    line = line_of(p / "data/pages.yml", r"^  - id: glossary$")
    (p / "content/glossary.md").unlink()
    return Expect(1, (f"data/pages.yml:{line}:", "no page file content/glossary.md for this catalog entry"))


@case
def case_page_without_catalog_entry(p: Path) -> Expect:
    (p / "content/stray.md").write_text("# Stray\n", encoding="utf-8")
    return Expect(1, ("content/stray.md:1:", "page is not in the page catalog"))


# ---- dates ------------------------------------------------------------------------------------------------------

@case
def case_page_reviewed_in_the_future(p: Path) -> Expect:
    start = line_of(p / "data/pages.yml", r"^  - id: glossary$")
    line = replace_on_line(p / "data/pages.yml", r"last_reviewed: \S+", "last_reviewed: 2099-01-01", after=start)
    return Expect(1, (f"data/pages.yml:{line}:20:", "last_reviewed 2099-01-01 is in the future"))


@case
def case_source_checked_tomorrow(p: Path) -> Expect:
    line = replace_on_line(p / "data/pages.yml", r"last_reviewed: \S+", f"last_reviewed: {TOMORROW}")
    return Expect(1, (f"data/pages.yml:{line}:20:", f"last_reviewed {TOMORROW} is in the future (today is {TODAY})"))


@case
def case_impossible_date(p: Path) -> Expect:
    start = line_of(p / "data/pages.yml", r"^  - id: glossary$")
    line = replace_on_line(p / "data/pages.yml", r"last_reviewed: \S+", "last_reviewed: 2026-02-30", after=start)
    return Expect(1, (f"data/pages.yml:{line}:20:", "'2026-02-30' is not a valid date"))


@case
def case_date_with_time(p: Path) -> Expect:
    start = line_of(p / "data/pages.yml", r"^  - id: glossary$")
    line = replace_on_line(p / "data/pages.yml", r"last_reviewed: \S+", "last_reviewed: 2026-11-01T10:00:00", after=start)
    return Expect(1, (f"data/pages.yml:{line}:20:", "is not a valid date"))


def _review_in(p: Path, value: str) -> int:
    start = line_of(p / "data/pages.yml", r"^  - id: glossary$")
    return replace_on_line(p / "data/pages.yml", r"review_in: \S+", f"review_in: {value}", after=start)


@case
def case_review_in_ten_thousand_years(p: Path) -> Expect:
    return Expect(1, (f"data/pages.yml:{_review_in(p, 'P10000Y')}:", "'P10000Y' is longer than 100 years"))


@case
def case_review_in_a_hundred_million_days(p: Path) -> Expect:
    return Expect(1, (f"data/pages.yml:{_review_in(p, '99999999d')}:", "'99999999d' is longer than 100 years"))


@case
def case_review_in_with_forty_digits(p: Path) -> Expect:
    return Expect(1, (f"data/pages.yml:{_review_in(p, '9' * 40 + 'd')}:", "is longer than 100 years"))


@case
def case_review_in_zero(p: Path) -> Expect:
    return Expect(1, (f"data/pages.yml:{_review_in(p, 'P0D')}:",))


@case
def case_review_in_negative(p: Path) -> Expect:
    return Expect(1, (f"data/pages.yml:{_review_in(p, '-5d')}:",))


@case
def case_review_in_just_a_hundred_years_is_fine(p: Path) -> Expect:
    _review_in(p, "P100Y")
    return Expect(0, ("ok:",))


@case
def case_due_soon_nine_thousand_years(p: Path) -> Expect:
    line = replace_on_line(p / "data/site.yml", r"due_soon: \S+", "due_soon: P9000Y")
    return Expect(1, (f"data/site.yml:{line}:", "'P9000Y' is longer than 100 years"))


@case
def case_source_date_epoch_garbage(p: Path) -> Expect:
    return Expect(2, ("SOURCE_DATE_EPOCH='soon' is not a whole number",), env={"SOURCE_DATE_EPOCH": "soon"})


@case
def case_source_date_epoch_negative(p: Path) -> Expect:
    return Expect(2, ("SOURCE_DATE_EPOCH='-86400' is not a whole number",), env={"SOURCE_DATE_EPOCH": "-86400"})


@case
def case_source_date_epoch_huge(p: Path) -> Expect:
    return Expect(2, ("it is too large",), env={"SOURCE_DATE_EPOCH": "9" * 30})


@case
def case_source_date_epoch_past_year_9999(p: Path) -> Expect:
    return Expect(2, ("it is out of range",), env={"SOURCE_DATE_EPOCH": "253402300800"})


@case
def case_source_date_epoch_float(p: Path) -> Expect:
    return Expect(2, ("SOURCE_DATE_EPOCH='1.5e9'",), env={"SOURCE_DATE_EPOCH": "1.5e9"})


@case
def case_source_date_epoch_arabic_digits(p: Path) -> Expect:
    return Expect(2, ("is not a whole number",), env={"SOURCE_DATE_EPOCH": "١٧٩٥٣٤٨٨٠٠"})


@case
def case_far_future_today_makes_pages_overdue(p: Path) -> Expect:
    line = line_of(p / "data/pages.yml", r"^  - id: index$")
    return Expect(1, (f"data/pages.yml:{line}:", "pages:index is overdue for review"),
                  env={"SOURCE_DATE_EPOCH": "32503680000"})


@case
def case_today_in_1970_puts_every_review_in_the_future(p: Path) -> Expect:
    line = line_of(p / "data/pages.yml", r"^  - id: index$", ) + 7
    return Expect(1, (f"data/pages.yml:{line}:20:", "is in the future (today is 1970-01-01)"), env={"SOURCE_DATE_EPOCH": "0"})


@case
def case_review_due_within_99999_years(p: Path) -> Expect:
    return Expect(2, ("--due-within 'P99999Y' is longer than 100 years",), args=("review", "--due-within", "P99999Y"))


@case
def case_review_due_within_huge_days(p: Path) -> Expect:
    return Expect(2, ("is longer than 100 years",), args=("review", "--due-within", "9" * 50 + "d"))


@case
def case_review_due_within_garbage(p: Path) -> Expect:
    return Expect(2, ("'next tuesday' is not a review interval",), args=("review", "--due-within", "next tuesday"))


@case
def case_review_due_within_empty_means_the_site_window(p: Path) -> Expect:
    return Expect(0, (f"(30d from {TODAY})",), args=("review", "--due-within", ""))


@case
def case_review_due_within_a_century(p: Path) -> Expect:
    return Expect(0, (f"item(s) due by {TODAY.replace(year=TODAY.year + 100)}",), args=("review", "--due-within", "P100Y"))


# ---- front matter and templates -----------------------------------------------------------------------------------

def _front_matter(p: Path, text: str) -> None:
    page = p / "content/glossary.md"
    page.write_text(f"---\n{text}\n---\n" + page.read_text(encoding="utf-8"), encoding="utf-8")


@case
def case_malformed_front_matter(p: Path) -> Expect:
    _front_matter(p, "title: [unclosed")
    return Expect(1, ("content/glossary.md:3:", "front matter"))


@case
def case_front_matter_python_tag(p: Path) -> Expect:
    _front_matter(p, "title: !!python/object/apply:os.system ['echo pwned']")
    return Expect(1, ("content/glossary.md:2:8:", "front matter: could not determine a constructor"))


@case
def case_front_matter_recursive_alias(p: Path) -> Expect:
    _front_matter(p, "a: &x [*x]")
    return Expect(1, ("content/glossary.md:2:8:", "front matter: alias *x is not allowed"))


@case
def case_front_matter_alias_bomb(p: Path) -> Expect:
    _front_matter(p, "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]")
    return Expect(1, ("content/glossary.md:3:8:", "front matter: alias *a is not allowed"))


@case
def case_front_matter_is_a_list(p: Path) -> Expect:
    _front_matter(p, "- just\n- a list")
    return Expect(0, ("ok:",))


def _template(p: Path, text: str) -> int:
    return add_to_page(p, text + "\n")


@case
def case_division_by_zero(p: Path) -> Expect:
    return Expect(1, (f"content/glossary.md:{_template(p, '{{ 1/0 }}')}:", "ZeroDivisionError"))


@case
def case_range_of_a_billion(p: Path) -> Expect:
    line = _template(p, "{% for i in range(10**9) %}x{% endfor %}")
    return Expect(1, (f"content/glossary.md:{line}:", "over the limit"))


@case
def case_ten_gigabyte_string(p: Path) -> Expect:
    return Expect(1, (f"content/glossary.md:{_template(p, chr(123) * 2 + ' ' + repr('x') + ' * 10**10 }}')}:",
                      f"longer than {MAX_TEXT:,}"))


@case
def case_recursive_macro(p: Path) -> Expect:
    line = _template(p, "{% macro again() %}{{ again() }}{% endmacro %}{{ again() }}")
    return Expect(1, (f"content/glossary.md:{line}:", "nested too deeply"))


@case
def case_huge_power(p: Path) -> Expect:
    return Expect(1, (f"content/glossary.md:{_template(p, '{{ 2 ** 99999999 }}')}:", "number too large"))


@case
def case_squaring_in_a_loop(p: Path) -> Expect:
    line = _template(p, "{% set ns = namespace(n=3) %}{% for i in range(64) %}{% set ns.n = ns.n * ns.n %}{% endfor %}")
    return Expect(1, (f"content/glossary.md:{line}:", "number too large"))


@case
def case_center_a_billion(p: Path) -> Expect:
    return Expect(1, (f"content/glossary.md:{_template(p, chr(123) * 2 + ' ' + repr('x') + '|center(10**9) }}')}:",
                      "|center(): argument 1000000000 is over the limit"))


@case
def case_str_format_width(p: Path) -> Expect:
    return Expect(1, (f"content/glossary.md:{_template(p, chr(123) * 2 + repr('{:999999999}') + '.format(1) }}')}:",
                      "str.format is not allowed"))


@case
def case_percent_format_width(p: Path) -> Expect:
    return Expect(1, (f"content/glossary.md:{_template(p, chr(123) * 2 + repr('%999999999d') + ' % 1 }}')}:",
                      "%-formatting is not allowed"))


@case
def case_doubling_string_in_a_loop(p: Path) -> Expect:
    line = _template(p, "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}")
    return Expect(1, (f"content/glossary.md:{line}:", f"text longer than {MAX_TEXT:,} characters"))


@case
def case_list_multiplication(p: Path) -> Expect:
    return Expect(1, (f"content/glossary.md:{_template(p, '{{ [0] * 10**9 }}')}:", f"longer than {MAX_TEXT:,}"))


@case
def case_lorem_ipsum_flood(p: Path) -> Expect:
    return Expect(1, (f"content/glossary.md:{_template(p, '{{ lipsum(10**7) }}')}:", "over the limit"))


@case
def case_macro_output_past_the_call_limit(p: Path) -> Expect:
    # 20 pieces of 1,500,000 characters: each within MAX_TEXT, the macro's whole output (30,000,000) past MAX_CALL_TEXT.
    line = _template(p, "{% macro big() %}{% for i in range(20) %}{{ 'x' * 1500000 }}{% endfor %}{% endmacro %}{{ big() }}")
    return Expect(1, (f"content/glossary.md:{line}:", f"call() made a value longer than {MAX_CALL_TEXT:,}"))


@case
def case_join_with_a_huge_separator(p: Path) -> Expect:
    line = _template(p, "{{ range(10)|join('x' * 1000000) }}")
    return Expect(1, (f"content/glossary.md:{line}:", "|join made a value longer"))


@case
def case_endless_nested_loops(p: Path) -> Expect:
    line = _template(p, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    return Expect(1, (f"content/glossary.md:{line}:", f"took longer than {RENDER_SECONDS:g} s to render"))


@case
def case_class_escape_attempt(p: Path) -> Expect:
    line = _template(p, "{{ ().__class__.__base__.__subclasses__() }}")
    return Expect(1, (f"content/glossary.md:{line}:", "unsafe"))


@case
def case_globals_escape_attempt(p: Path) -> Expect:
    return Expect(1, (f"content/glossary.md:{_template(p, '{{ cycler.__init__.__globals__.os }}')}:", "unsafe"))


@case
def case_attr_filter_escape_attempt(p: Path) -> Expect:
    line = _template(p, "{{ (lipsum|attr('__globals__')).os }}")
    return Expect(1, (f"content/glossary.md:{line}:", "unsafe"))


@case
def case_format_map_escape_attempt(p: Path) -> Expect:
    line = _template(p, "{{ '{0.__class__}'.format_map(data) }}")
    return Expect(1, (f"content/glossary.md:{line}:", "str.format is not allowed"))


@case
def case_record_internals(p: Path) -> Expect:
    return Expect(1, (f"content/glossary.md:{_template(p, '{{ data.settings._values }}')}:", "unsafe"))


@case
def case_include_etc_passwd(p: Path) -> Expect:
    return Expect(1, (f"content/glossary.md:{_template(p, chr(123) + '% include ' + repr('/etc/passwd') + ' %}')}:",
                      "template error"))


@case
def case_include_outside_templates(p: Path) -> Expect:
    line = _template(p, "{% include '../mkdocs.yml' %}")
    return Expect(1, (f"content/glossary.md:{line}:", "template error"))


@case
def case_unclosed_block(p: Path) -> Expect:
    line = _template(p, "{% if true %}never closed")
    return Expect(1, ("content/glossary.md:", "template error"))


@case
def case_unknown_macro(p: Path) -> Expect:
    line = _template(p, "{{ chcklist('hub-cost-review') }}")
    return Expect(1, (f"content/glossary.md:{line}:", "unknown macro or name 'chcklist'", "did you mean 'checklist'?"))


@case
def case_unknown_record(p: Path) -> Expect:
    line = _template(p, "{{ checklist('no-such-list') }}")
    return Expect(1, (f"content/glossary.md:{line}:", "no checklists record with id 'no-such-list'"))


@case
def case_thousand_nested_parentheses(p: Path) -> Expect:
    line = _template(p, "{{ " + "(" * 1000 + "1" + ")" * 1000 + " }}")
    return Expect(1, ("content/glossary.md:", "template error"))


@case
def case_data_text_printed_in_a_page_is_escaped(p: Path) -> Expect:
    add_faq(p, "'[x](javascript:alert(1)) <img src=x onerror=alert(1)>'")
    _template(p, "{{ lookup('faqs', 'hostile-faq').question }}")
    line = line_of(p / "data/faqs.yml", "hostile-faq") + 2
    return Expect(1, (f"data/faqs.yml:{line}:", "javascript: URLs are not allowed"))


@case
def case_code_blocks_are_left_alone(p: Path) -> Expect:
    add_to_page(p, "```jinja\n{{ 1/0 }}\n{% for i in range(10**9) %}\n```\n\nInline `{{ 1/0 }}` too.\n")
    return Expect(0, ("ok:",))


# ---- formulas -----------------------------------------------------------------------------------------------------

def _formula(p: Path, text: str) -> int:
    return replace_on_line(p / "data/calculators.yml", r"formula: [^>|\s].*$", f"formula: {text}")


@case
def case_three_thousand_ands(p: Path) -> Expect:
    line = _formula(p, " and ".join(["1"] * 3000))
    return Expect(1, (f"data/calculators.yml:{line}:", "nested more than 100 levels deep"))


@case
def case_three_thousand_comparisons(p: Path) -> Expect:
    line = _formula(p, " < ".join(["1"] * 3000))
    return Expect(1, (f"data/calculators.yml:{line}:", "nested more than 100 levels deep"))


@case
def case_three_thousand_ors(p: Path) -> Expect:
    line = _formula(p, " or ".join(["1"] * 3000))
    return Expect(1, (f"data/calculators.yml:{line}:", "nested more than 100 levels deep"))


@case
def case_three_thousand_additions(p: Path) -> Expect:
    line = _formula(p, " + ".join(["1"] * 3000))
    return Expect(1, (f"data/calculators.yml:{line}:", "nested"))


@case
def case_three_thousand_parentheses(p: Path) -> Expect:
    line = _formula(p, "(" * 3000 + "1" + ")" * 3000)
    return Expect(1, (f"data/calculators.yml:{line}:",))


@case
def case_formula_imports(p: Path) -> Expect:
    line = _formula(p, "__import__('os').system('echo pwned')")
    return Expect(1, (f"data/calculators.yml:{line}:",))


@case
def case_formula_lambda(p: Path) -> Expect:
    line = _formula(p, "'(lambda: 1)()'")
    return Expect(1, (f"data/calculators.yml:{line}:",))


@case
def case_formula_attribute(p: Path) -> Expect:
    line = _formula(p, "(1).real")
    return Expect(1, (f"data/calculators.yml:{line}:", "attribute access ('.real') is not allowed"))


@case
def case_formula_non_ascii(p: Path) -> Expect:
    line = _formula(p, "1 × 2")
    return Expect(1, (f"data/calculators.yml:{line}:", "formulas are plain ASCII"))


@case
def case_formula_huge_literal(p: Path) -> Expect:
    line = _formula(p, "1" + "0" * 400 + " * 2")
    return Expect(1, (f"data/calculators.yml:{line}:", "number is too large"))


@case
def case_formula_power_tower(p: Path) -> Expect:
    _formula(p, "2 ** 10 ** 10 ** 10")
    return Expect(0, ("ok:",))


# ---- links --------------------------------------------------------------------------------------------------------

@case
def case_link_in_indented_code_is_not_checked(p: Path) -> Expect:
    add_to_page(p, "Example:\n\n    [not a link](nowhere.md)\n    <a href=\"missing/\">x</a>\n")
    return Expect(0, ("ok:",))


@case
def case_link_in_fenced_code_is_not_checked(p: Path) -> Expect:
    add_to_page(p, "~~~\n[not a link](nowhere.md)\n~~~\n")
    return Expect(0, ("ok:",))


@case
def case_link_in_list_continuation_is_checked(p: Path) -> Expect:
    line = add_to_page(p, "- item\n\n    [continued](nowhere.md)\n") + 2
    return Expect(1, (f"content/glossary.md:{line}:", "broken link 'nowhere.md'"))


@case
def case_broken_link(p: Path) -> Expect:
    line = add_to_page(p, "[gone](nowhere.md)\n")
    return Expect(1, (f"content/glossary.md:{line}:", "broken link 'nowhere.md'"))


@case
def case_broken_anchor(p: Path) -> Expect:
    line = add_to_page(p, "[gone](index.md#no-such-heading)\n")
    return Expect(1, (f"content/glossary.md:{line}:", "broken anchor 'index.md#no-such-heading'"))


@pytest.fixture
def _unused() -> None:
    return None


def _bad_link(target: str, message: str):  # a case factory: one page link and the message it must get
    def run(p: Path) -> Expect:
        line = add_to_page(p, f"[x]({target})\n")
        return Expect(1, (f"content/glossary.md:{line}:", message))
    return run


for _name, _target, _message in [
    ("javascript_link", "javascript:alert(1)", "javascript: URLs are not allowed"),
    ("mixed_case_javascript_link", "JaVaScRiPt:alert(1)", "javascript: URLs are not allowed"),
    ("tab_entity_javascript_link", "java&#9;script:alert(1)", "javascript: URLs are not allowed"),
    ("letter_entity_javascript_link", "&#106;avascript:alert(1)", "javascript: URLs are not allowed"),
    ("hex_entity_javascript_link", "&#x6A;avascript:alert(1)", "javascript: URLs are not allowed"),
    ("named_entity_javascript_link", "java&Tab;script&colon;alert(1)", "javascript: URLs are not allowed"),
    ("newline_entity_javascript_link", "java&#10;script:alert(1)", "javascript: URLs are not allowed"),
    ("vbscript_link", "vbscript:msgbox(1)", "vbscript: URLs are not allowed"),
    ("data_html_link", "data:text/html;base64,PHNjcmlwdD4=", "data: URLs are not allowed"),
    ("file_link", "file:///etc/passwd", "file: URLs are not allowed"),
    ("plain_http_link", "http://example.org/", "plain http:// is not allowed"),
    ("hostless_link", "https:///path", "has no host name"),
    ("bad_port_link", "https://example.org:99999/", "has an invalid port"),
    ("absolute_link", "/glossary/", "absolute link '/glossary/'"),
    ("protocol_relative_link", "//evil.example/", "absolute link '//evil.example/'"),
    ("ftp_link", "ftp://example.org/file", "ftp: links are not allowed"),
]:
    CASES[_name] = _bad_link(_target, _message)


@case
def case_raw_html_javascript_href(p: Path) -> Expect:
    line = add_to_page(p, '<a href="javascript:alert(1)">x</a>\n')
    return Expect(1, (f"content/glossary.md:{line}:", "javascript: URLs are not allowed"))


@case
def case_raw_html_entity_javascript_href(p: Path) -> Expect:
    line = add_to_page(p, '<a href="jav&#x09;ascript:alert(1)">x</a>\n')
    return Expect(1, (f"content/glossary.md:{line}:", "javascript: URLs are not allowed"))


@case
def case_image_with_javascript_source(p: Path) -> Expect:
    line = add_to_page(p, '<img src="javascript:alert(1)" alt="">\n')
    return Expect(1, (f"content/glossary.md:{line}:", "javascript: URLs are not allowed"))


@case
def case_link_with_a_space(p: Path) -> Expect:
    line = add_to_page(p, "<a href=\"https://example.org/a b\">x</a>\n")
    return Expect(1, (f"content/glossary.md:{line}:", "contains a space"))


@case
def case_hundred_thousand_character_link(p: Path) -> Expect:
    line = add_to_page(p, f"[long]({'a' * 100_000}.md)\n")
    return Expect(1, (f"content/glossary.md:{line}:", "broken link"))


@case
def case_javascript_in_data_text(p: Path) -> Expect:
    line = add_faq(p, "Why?", "'See javascript:alert(document.cookie) for details.'")
    return Expect(1, (f"data/faqs.yml:{line + 1}:", "javascript: URLs are not allowed"))


@case
def case_obfuscated_javascript_in_data_title(p: Path) -> Expect:
    start = line_of(p / "data/pages.yml", r"^  - id: glossary$")
    line = replace_on_line(p / "data/pages.yml", r"title: .*", "title: '[x](java&#9;script:alert(1))'", after=start)
    return Expect(1, (f"data/pages.yml:{line}:", "link 'java&#9;script:alert(1)': javascript: URLs are not allowed"))


@case
def case_data_url_in_data_text(p: Path) -> Expect:
    line = add_faq(p, "Why?", "'Open data:text/html,<script>alert(1)</script> now.'")
    return Expect(1, (f"data/faqs.yml:{line + 1}:", "data: URLs are not allowed"))


@case
def case_http_in_data(p: Path) -> Expect:
    line = add_faq(p, "Why?", "'See http://example.org/ for more.'")
    return Expect(1, (f"data/faqs.yml:{line + 1}:", "plain http:// is not allowed"))


@case
def case_metadata_colon_is_not_a_link(p: Path) -> Expect:
    add_faq(p, "'What is metadata: really?'", "'A colon after data: 5 is prose.'")
    return Expect(0, ("ok:",))


# ---- the command line ---------------------------------------------------------------------------------------------

@case
def case_estimate_unknown_calculator(p: Path) -> Expect:
    return Expect(2, ("no calculator 'vidoe'", "did you mean 'video'?"), args=("estimate", "vidoe"))


@case
def case_estimate_setting_without_equals(p: Path) -> Expect:
    return Expect(2, ("--set videos: write INPUT=VALUE",), args=("estimate", "video", "--set", "videos"))


@case
def case_estimate_unknown_input(p: Path) -> Expect:
    return Expect(2, ("--set nothing=1",), args=("estimate", "video", "--set", "nothing=1"))


@case
def case_estimate_infinite_value(p: Path) -> Expect:
    return Expect(2, ("--set videos=1e999",), args=("estimate", "video", "--set", "videos=1e999"))


@case
def case_estimate_nan_value(p: Path) -> Expect:
    return Expect(2, ("--set videos=nan",), args=("estimate", "video", "--set", "videos=nan"))


@case
def case_estimate_value_past_the_maximum(p: Path) -> Expect:
    return Expect(2, ("--set videos=99999999999",), args=("estimate", "video", "--set", "videos=99999999999"))


@case
def case_estimate_markup_as_value(p: Path) -> Expect:
    return Expect(2, ("--set videos=<script>",), args=("estimate", "video", "--set", "videos=<script>"))


@case
def case_estimate_unknown_preset(p: Path) -> Expect:
    return Expect(2, ("no preset 'nope' in video",), args=("estimate", "video", "--preset", "nope"))


@case
def case_unknown_command(p: Path) -> Expect:
    return Expect(2, ("invalid choice: 'destroy'",), args=("destroy",))


@case
def case_root_without_data(p: Path) -> Expect:
    (p / "data").rename(p / "not-data")
    return Expect(2, ("has no data/ folder",))


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input(name: str, fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expect = CASES[name](fresh)
    for variable, value in expect.env.items():
        monkeypatch.setenv(variable, value)
    before = tree_digest(fresh)
    outcome = run_cli(fresh, expect.args)
    assert "Traceback" not in outcome.text, outcome.text
    assert outcome.code == expect.code, outcome.text
    for shown in expect.shows:
        assert shown in outcome.text, outcome.text
    assert tree_digest(fresh) == before


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) >= 150  # the input cases here; the render, external, strict and pipe modules add more
