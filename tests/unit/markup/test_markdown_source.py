"""Code in page sources: code spans and fenced blocks found as Markdown finds them, shielded from the template
engine or blanked with every offset and line kept."""
from __future__ import annotations

from costhub.markup.markdown_source import blank_code_spans, indented_code_lines, shield_code


def test_code_spans_of_any_run_length_are_blanked_to_spaces() -> None:
    assert blank_code_spans("a `b` c ``d`e`` f") == "a " + " " * 3 + " c " + " " * 7 + " f"
    assert blank_code_spans("`a` b") == "    b"


def test_a_span_closes_only_on_a_run_of_its_own_length() -> None:
    assert blank_code_spans("see ```a``b``` here") == "see " + " " * 10 + " here"
    assert blank_code_spans("x ``y` z") == "x ``y` z"


def test_a_span_never_runs_past_the_end_of_its_line() -> None:
    assert blank_code_spans("a `b\nc` d") == "a `b\nc` d"


def test_fenced_blocks_are_blanked_line_by_line() -> None:
    assert blank_code_spans("t\n~~~\n{{ x }}\n~~~\nu") == "t\n   \n       \n   \nu"
    assert blank_code_spans("  ```js\n  `x`\n  ```\n") == "       \n     \n     \n"


def test_an_unclosed_fence_is_text_and_its_spans_are_still_code() -> None:
    assert blank_code_spans("```\ncode `x`\n") == "```\ncode    \n"
    assert blank_code_spans("~~~\na\n```\n") == "~~~\na\n```\n"


def test_text_without_code_is_unchanged() -> None:
    text = "No code here: {{ faqs() }} and <b>tags</b>, ~~ two tildes ~~."
    assert blank_code_spans(text) == text
    assert shield_code(text) == (text, {})


def test_shielded_code_is_a_token_that_keeps_the_lines() -> None:
    text, shielded = shield_code("a `{{ b }}` c\n```\n{% x %}\n```\nd")
    assert text == "a \x00code1\x00 c\n\x00code0\x00\n\n\nd"
    assert shielded == {"\x00code0\x00\n\n": "```\n{% x %}\n```", "\x00code1\x00": "`{{ b }}`"}


def test_indented_code_starts_only_after_a_blank_line_or_at_the_start_outside_a_list() -> None:
    # Line numbers are 0-based; a blank line is any line of whitespace alone (a no-break space counts).
    assert indented_code_lines("para\n    not code\n") == set()
    assert indented_code_lines("para\n\n    code\n    more\n\nafter") == {2, 3, 4}
    assert indented_code_lines("para\n\u00a0\n\tcode") == {2}
    assert indented_code_lines("    first line") == {0}
    assert indented_code_lines(" \n\n \t\n    after blank lines") == {3}
    assert indented_code_lines("- item\n\n    still the item\n") == set()
    assert indented_code_lines("<div>\n  <p>two spaces</p>\n   three\n</div>") == set()
    assert indented_code_lines("a\n\n        \nb") == set()  # an indented line of spaces alone is blank, not code
    assert indented_code_lines("") == set()


def test_text_without_an_indented_line_after_a_blank_one_has_no_indented_code_at_any_size() -> None:
    # 20,000 lines of indented HTML without a blank line before any indented one, then one real block at the end.
    html = "<table>\n" + "      <tr><td>cell</td></tr>\n" * 20_000 + "</table>\n"
    assert indented_code_lines(html) == set()
    assert indented_code_lines(html + "\n    code") == {20_003}
