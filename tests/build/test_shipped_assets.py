"""The build ships our scripts and stylesheets minified, into site/ only: what the node tests run is what the site
serves, the sources under overrides/assets stay readable, and Material's own files are copied untouched."""
from __future__ import annotations

from pathlib import Path

import material

from conftest import ROOT, Build
from costhub.publish.minify import shipped_assets

ASSETS = ROOT / "overrides" / "assets"


def test_every_script_and_stylesheet_of_ours_ships_as_its_minified_text(site_build: Build) -> None:
    shipped = shipped_assets(ASSETS)
    ours = sorted(path.relative_to(ASSETS).as_posix() for path in ASSETS.rglob("*") if path.suffix in (".js", ".css"))
    assert sorted(shipped) == ours and len(ours) >= 9  # seven scripts, the site's stylesheet and its print one
    assert [name for name in ours if name.endswith(".css")] == ["stylesheets/costhub.css", "stylesheets/print.css"]
    for name, text in shipped.items():
        assert (site_build.site / "assets" / name).read_text(encoding="utf-8") == text, name


def test_shipped_files_are_smaller_and_the_sources_keep_their_comments(site_build: Build) -> None:
    for name in ("javascripts/calculator.js", "javascripts/checklists.js", "stylesheets/costhub.css"):
        source = (ASSETS / name).read_text(encoding="utf-8")
        built = (site_build.site / "assets" / name).read_text(encoding="utf-8")
        assert "/*" in source or "//" in source
        assert len(built) < 0.9 * len(source), name
        assert "\n  " not in built and "/* " not in built, name


def test_materials_own_bundle_is_copied_byte_for_byte(site_build: Build) -> None:
    (bundle,) = (Path(material.__file__).parent / "templates" / "assets" / "javascripts").glob("bundle.*.min.js")
    assert (site_build.site / "assets" / "javascripts" / bundle.name).read_bytes() == bundle.read_bytes()
