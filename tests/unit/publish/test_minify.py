"""Our scripts and stylesheets as shipped: comments and spacing go, strings, regular expressions and template
literals stay exactly as written; any other kind of file is refused."""
from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.structure.files import File

from costhub.publish.minify import minified, shipped_assets

from conftest import load_hook

ROOT = Path(__file__).resolve().parents[3]


def test_a_script_loses_comments_and_spacing_but_keeps_its_strings() -> None:
    source = ("// a line comment\n"
              "var total = price * 2;  /* a block comment */\n"
              "var text = 'a  // not a comment', url = \"/* nor this */\";\n"
              "var pattern = /a  b/g, tick = `x   ${total}`;\n")
    assert minified("app.js", source) == (
        "var total=price*2;var text='a  // not a comment',url=\"/* nor this */\";var pattern=/a  b/g,tick=`x   ${total}`;")


def test_a_line_break_that_ends_a_statement_without_a_semicolon_is_kept() -> None:
    assert minified("app.js", "var a = 1\nvar b = a\n++b\n") == "var a=1\nvar b=a\n++b"


def test_a_stylesheet_loses_comments_and_spacing_but_keeps_its_strings() -> None:
    source = "/* palette */\n.card  >  p ,\n.tile {\n  color : #0a5c5c ;\n  content : \"a  b\" ;\n}\n"
    assert minified("site.css", source) == '.card>p,.tile{color:#0a5c5c;content:"a  b"}'


def test_a_media_query_keeps_the_spaces_its_syntax_needs() -> None:
    assert minified("site.css", "@media screen and (max-width: 700px) {\n  .a { margin : 0 auto ; }\n}\n") == (
        "@media screen and (max-width:700px){.a{margin:0 auto}}")


@pytest.mark.parametrize("name", ["logo.svg", "page.html", "notes.js.map", "script"])
def test_other_kinds_of_file_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        minified(name, "x")


def test_shipped_assets_minifies_every_script_and_stylesheet_under_the_folder_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "javascripts").mkdir()
    (tmp_path / "stylesheets" / "nested").mkdir(parents=True)
    (tmp_path / "images").mkdir()
    (tmp_path / "javascripts" / "one.js").write_text("// note\nvar one = 1;\n", encoding="utf-8")
    (tmp_path / "stylesheets" / "nested" / "two.css").write_text("a { color : red ; }\n", encoding="utf-8")
    (tmp_path / "images" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "javascripts" / "one.js.map").write_text("{}", encoding="utf-8")
    source = (tmp_path / "javascripts" / "one.js").read_bytes()
    assert shipped_assets(tmp_path) == {"javascripts/one.js": "var one=1;", "stylesheets/nested/two.css": "a{color:red}"}
    assert (tmp_path / "javascripts" / "one.js").read_bytes() == source


def test_only_scripts_and_stylesheets_whose_real_path_lies_in_the_custom_dir_are_ours(tmp_path: Path) -> None:
    custom, theme, elsewhere = tmp_path / "overrides", tmp_path / "theme", tmp_path / "elsewhere"
    for folder in (custom / "assets", theme / "assets", elsewhere):
        folder.mkdir(parents=True)
    for path in (custom / "assets/app.js", custom / "assets/site.css", custom / "main.html", theme / "assets/bundle.js",
                 elsewhere / "real.js"):
        path.write_text("x", encoding="utf-8")
    (custom / "assets/linked-out.js").symlink_to(elsewhere / "real.js")  # read from elsewhere, though listed here
    (theme / "assets/linked-in.js").symlink_to(custom / "assets/app.js")  # read from the custom_dir
    (theme / "into-custom").symlink_to(custom / "assets")  # a folder that leads into the custom_dir
    (tmp_path / "custom-link").symlink_to(custom)  # the custom_dir named through a link
    hook = load_hook(ROOT / "hooks/costhub_assets.py", "costhub_assets_under_test")
    files = {"app.js": (custom, "assets/app.js"), "site.css": (custom, "assets/site.css"),
             "main.html": (custom, "main.html"), "bundle.js": (theme, "assets/bundle.js"),
             "linked-out.js": (custom, "assets/linked-out.js"), "linked-in.js": (theme, "assets/linked-in.js"),
             "through-folder.js": (theme, "into-custom/app.js")}
    for custom_dir in (custom, tmp_path / "custom-link"):
        folders: dict[str, bool] = {}
        ours = {name for name, (src_dir, path) in files.items()
                if hook._is_ours(File(path, str(src_dir), str(tmp_path / "site"), True), custom_dir.resolve(), folders)}
        assert ours == {"app.js", "site.css", "linked-in.js", "through-folder.js"}
    generated = File("assets/made.js", None, str(tmp_path / "site"), True)
    assert generated.abs_src_path is None and not hook._is_ours(generated, custom.resolve(), {})
