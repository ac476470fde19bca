"""The calculator page as built: accessible markup, the no-JS fallback from the Python engine, CSP-safe scripts, the CLI."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import ROOT, Build, build, copy_project, costhub, pin_review_dates, set_field
from costhub.pages.site import Site

CALCULATORS = ("video", "image", "voice")


# The calculator section for one id on the calculator page.
def section(site_build: Build, calc_id: str) -> BeautifulSoup:
    found = site_build.page("calculator/").select_one(f"section[data-calculator='{calc_id}']")
    assert found is not None
    return found


def test_calculator_page_shows_all_three_at_a_calculator_url(site_build: Build) -> None:
    page = site_build.page("calculator/")
    assert [node["data-record"] for node in page.select("section.costhub-calc")] == [f"calculators:{c}" for c in CALCULATORS]
    assert page.select_one("h1").find(string=True) == "Media API cost calculator"


def test_fallback_table_is_the_default_scenario_from_the_python_engine(site_build: Build) -> None:
    calculators = Site.load(ROOT).calculators
    for calc_id in CALCULATORS:
        table = section(site_build, calc_id).select_one("table.costhub-calc__table")
        shown = [(row.th.get_text(), row.td.get_text()) for row in table.select("tbody tr, tfoot tr")]
        assert shown == [(line.label, text) for line, _, text in calculators[calc_id].rows()]
    video = section(site_build, "video")
    # J = 1000 / (1 - 0.05 ** 3) jobs at $0.80 x (1 + 0.05 + 0.05 ** 2) each: $842.11, $0.842 per video (three significant digits).
    assert video.select_one("tfoot tr[data-line='total'] td").get_text() == "$842.11"
    assert video.select_one("dd[data-line='cost_per_video']").get_text() == "$0.842"
    assert [dt.get_text() for dt in video.select(".costhub-calc__results dt")][:3] == [
        "Total for the batch", "Jobs to submit (J)", "Prepaid balance to load"]
    assert video.select_one("dd[data-line='jobs']").get_text() == "1,000.1 expected"


def test_every_field_is_labelled_described_and_has_an_error_slot(site_build: Build) -> None:
    for calc_id in CALCULATORS:
        calc = section(site_build, calc_id)
        fields = calc.select(".costhub-calc__fields [name]")
        assert len(fields) == len(Site.load(ROOT).calculators[calc_id].record.inputs)
        for field in fields:
            assert calc.select_one(f"label[for='{field['id']}']").get_text(strip=True)
            described = field["aria-describedby"].split()
            assert all(calc.select_one(f"#{target}") is not None for target in described)
            assert f"{field['id']}-error" in described
        assert calc.select_one("[aria-live='polite'][role='status'] dd") is not None
        assert calc.select_one(".costhub-calc__fields").has_attr("disabled")


def test_billing_unit_options_come_from_the_unit_records(site_build: Build) -> None:
    options = section(site_build, "video").select("select[name='v.u'] option")
    assert [(o["value"], o["data-record"], o.get_text()) for o in options] == [
        ("per_second", "units:second", "Second of output"), ("per_video", "units:video", "Video"),
        ("per_credit", "units:credit", "Credit"), ("per_task", "units:async-task", "Async task")]


def test_spec_is_json_data_and_scripts_load_only_by_src(site_build: Build) -> None:
    page = site_build.page("calculator/")
    for calc_id in CALCULATORS:
        spec = json.loads(section(site_build, calc_id).select_one("script.costhub-calc__spec").string)
        assert spec["id"] == calc_id and spec["lines"]
    for calc in page.select("section.costhub-calc"):
        assert all(script.get("type") == "application/json" for script in calc.select("script"))
        assert not [attr for node in calc.find_all(True) for attr in node.attrs if attr.startswith("on")]
    sources = [script["src"] for script in page.select("script[src]")]
    assert [src.split("/")[-1] for src in sources if "calculator" in src or "formula" in src] == [
        "costhub-formula.js", "calculator-runtime.js", "calculator.js"]
    guide_scripts = [script["src"] for script in site_build.page("image-generation-api-cost/").select("script[src]")]
    assert not [src for src in guide_scripts if "calculator" in src or "formula" in src]
    for name in ("costhub-formula.js", "calculator-runtime.js", "calculator.js"):
        code = (site_build.site / "assets/javascripts" / name).read_text(encoding="utf-8")
        assert "eval(" not in code and "Function(" not in code and "innerHTML" not in code


def test_presets_show_the_source_and_date_of_the_price_and_policy_records_they_cite(site_build: Build) -> None:
    site = Site.load(ROOT)
    data, catalog = site.data, site.catalog
    item = section(site_build, "voice").select_one("li[data-preset='realtime-audio-tokens']")
    fact = data.get("policies", "openai-realtime").facts["tokens"]
    source = item.select_one("[data-record='policies:openai-realtime']")
    assert source.a["href"] == fact.source == "https://developers.openai.com/api/docs/guides/realtime-costs"
    assert source.a.get_text() == fact.source_title
    assert source.time["datetime"] == fact.observed == "2026-11-21"
    for calc in data.all("calculators"):
        for preset in calc.presets or ():
            shown = section(site_build, calc.id).select_one(f"li[data-preset='{preset.id}']")
            cited = [(node["data-record"], node.a["href"], node.time["datetime"]) for node in shown.select("[data-record]")]
            expected = [(f"prices:{price_id}", data.get("prices", price_id).source, data.get("prices", price_id).observed)
                        for price_id in preset.prices or ()]
            for citation in preset.policy_facts or ():
                policy, _topic, cited_fact = catalog.cited_fact(citation)
                expected.append((f"policies:{policy.id}", cited_fact.source, cited_fact.observed))
            assert cited == expected
    made_up = section(site_build, "video").select_one("li[data-preset='no-retries']")
    assert made_up.a is None and made_up.time is None and "Made-up values" in made_up.get_text()


def test_an_overdue_price_record_puts_the_notice_on_the_calculator_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    pin_review_dates(project)
    set_field(project / "data/prices.yml", "runway-api-credit", "review_in", "60d")
    site_yml = project / "data/site.yml"
    site_yml.write_text(site_yml.read_text().replace("overdue: warning", "overdue: info"))
    day = datetime(2030, 3, 3, 12, tzinfo=timezone.utc)
    result = build(project, {"SOURCE_DATE_EPOCH": str(int(day.timestamp()))})
    assert result.returncode == 0, result.log
    page = result.page("calculator/")
    assert page.select_one(".costhub-review")["data-review-status"] == "overdue"
    assert page.select_one(".costhub-review__notice").get("hidden") is None
    stale = [(item.get_text(strip=True), item.a["href"]) for item in page.select(".costhub-review__stale li")]
    assert stale == [("Runway API credit(due 2 March 2030)", "#calc-video")]
    assert page.select_one("#calc-video [data-record='prices:runway-api-credit'] time")["datetime"] == "2026-12-01"
    row = result.page("review/").select_one("tr[data-review-item='prices:runway-api-credit']")
    assert row["data-review-status"] == "overdue"
    assert "../calculator/#calc-video" in [link["href"] for link in row.select("a")]


def test_macro_embeds_a_calculator_in_any_page(project: Path) -> None:
    page = project / "content/glossary.md"
    page.write_text(page.read_text() + '\n{{ calculator("image", level=3) }}\n')
    result = build(project)
    assert result.returncode == 0, result.log
    calc = result.page("glossary/").select_one("section[data-record='calculators:image']")
    assert calc.select_one("h3").get_text() == "Image generation batch"
    assert calc.select_one("tfoot tr[data-line='total'] td").get_text() == "$81.65"


def test_unknown_calculator_in_a_page_names_the_line(project: Path) -> None:
    page = project / "content/glossary.md"
    page.write_text("Intro\n\n{{ calculator('vidoe') }}\n")
    result = build(project)
    assert result.returncode != 0
    assert "content/glossary.md:3: template error: no calculators record with id 'vidoe' (did you mean 'video'?)" in result.log


def test_bad_formula_fails_the_build_and_check_with_file_line_column(project: Path) -> None:
    data = project / "data/calculators.yml"
    lines = data.read_text().splitlines()
    number = lines.index("        formula: total / videos") + 1
    lines[number - 1] = "        formula: total / videos.count"
    data.write_text("\n".join(lines) + "\n")
    expected = f"data/calculators.yml:{number}:26: calculators[0].outputs[3].formula: attribute access ('.count') is not allowed"
    result = build(project)
    assert result.returncode != 0 and expected in result.log and "Traceback" not in result.log
    code, _out, err = costhub(project, "check")
    assert code == 1 and expected in err


def test_estimate_cli_prints_what_the_page_shows(site_build: Build) -> None:
    code, out, _err = costhub(ROOT, "estimate", "video")
    assert code == 0
    table = section(site_build, "video").select("table.costhub-calc__table tbody tr, table.costhub-calc__table tfoot tr")
    for row in table:
        assert f"  {row.th.get_text()}" in out and out.split(row.th.get_text(), 1)[1].split("\n")[0].strip() == row.td.get_text()


def test_estimate_cli_json_with_sets_and_preset(project: Path) -> None:
    code, out, _err = costhub(project, "estimate", "video", "--preset", "no-retries", "--set", "videos=2000",
                              "--set", "seconds=8", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["inputs"]["videos"] == 2000 and result["inputs"]["failure_rate"] == 20
    # 20% failures and no retries: 2,000 / 0.8 = 2,500 jobs at $0.80, $2,000 in all, $1 per delivered video.
    assert result["outputs"] == {"jobs": 2500.0, "total": 2000.0, "delivered": 2000.0, "cost_per_video": 1.0,
                                 "overhead": 0.25}
    assert result["shown"]["total"] == "$2,000.00" and result["shown"]["jobs"] == "2,500"


def test_estimate_cli_usage_and_content_errors(project: Path) -> None:
    assert costhub(project, "estimate", "vidoe")[0] == 2
    code, _out, err = costhub(project, "estimate", "video", "--set", "seconds=-3")
    assert code == 2 and "--set seconds=-3: must be at least 1" in err
    code, _out, err = costhub(project, "estimate", "video", "--set", "retries")
    assert code == 2 and "write INPUT=VALUE" in err
    code, _out, err = costhub(project, "estimate", "video", "--preset", "no-retry")
    assert code == 2 and "no preset 'no-retry' in video (did you mean 'no-retries'?)" in err
    data = project / "data/calculators.yml"
    data.write_text(data.read_text().replace("formula: total / videos", "formula: total / nope", 1))
    code, _out, err = costhub(project, "estimate", "video")
    assert code == 1 and "unknown name 'nope'" in err and "Traceback" not in err


def test_how_the_calculators_count_is_rendered_from_data_with_worked_examples(site_build: Build) -> None:
    page = site_build.page("calculator-method/")
    calculators = Site.load(ROOT).calculators
    for calc_id in CALCULATORS:
        calc = calculators[calc_id]
        method = page.select_one(f"section#method-{calc_id}[data-record='calculators:{calc_id}']")
        rows = [(row.th.get_text(), row.select("td")[0].get_text(), row.select("td")[1].get_text())
                for row in method.select("table.costhub-method__lines tbody tr")]
        assert [label for label, _, _ in rows] == [line.label for line in calc.lines]
        assert all(line.explain and explain == line.explain.strip() for line, (_, explain, _) in zip(calc.lines, rows))
        inputs = [row.td.get_text() for row in method.select("table.costhub-method__inputs tbody tr")]
        assert len(inputs) == len(calc.record.inputs)
    video = {row["data-line"]: row.select("td")[1].get_text() for row in page.select("#method-video tbody tr[data-line]")}
    # Worked example: 1,000 videos, 20% failures, 1 retry, 10 polls at $0.001: A = 1.2, D = 0.96,
    # J = 1,000 / 0.96 = 1,041.67 jobs, total J x ($0.80 x 1.2 + 12 polls x $0.001) = $1,012.50.
    assert (video["attempts"], video["delivered_share"], video["jobs"], video["total"]) == (
        "1.2", "96%", "1,041.7 expected", "$1,012.50")
    assert page.select_one("#method-video tr[data-input='retries'] td").get_text() == "1 retry"
    prose = page.select_one("article").get_text()
    assert "1.0525" not in prose.split("Video generation batch")[0]  # no hand-stated figures above the tables


def test_the_worked_examples_have_a_page_of_their_own_that_the_calculator_points_to(site_build: Build) -> None:
    calculator = site_build.page("calculator/")
    method = site_build.page("calculator-method/")
    assert method.select_one("article h1").get_text(strip=True) == "How the cost calculator counts"
    # The calculator keeps the old anchor, so links shared before the move still land on a pointer to the page.
    pointer = calculator.select_one("h2#how-this-calculator-counts")
    assert pointer is not None and pointer.find_next("p").select_one("a[href='../calculator-method/']") is not None
    assert calculator.select("section.costhub-method") == [] and calculator.select("table[data-compare]") == []
    assert calculator.select_one("script[src$='compare.js']") is None
    # Each calculator's section has a stable anchor, listed in the page's table of contents, and leads back.
    assert [section["id"] for section in method.select("section.costhub-method")] == [f"method-{c}" for c in CALCULATORS]
    toc = {link["href"] for link in method.select("nav.md-nav--secondary a.md-nav__link")}
    assert {"#video-generation", "#image-generation", "#realtime-voice"} <= toc
    assert method.select_one("article a[href='../calculator/']") is not None
    assert method.select_one("article a[href='../calculator/#how-retries-change-the-count']") is not None
    # It sits in the nav beside the glossary (Reference), not among the hub's tool tiles.
    nav = [(link.get_text(strip=True), link["href"]) for link in method.select("nav.md-nav--primary a.md-nav__link")]
    assert ("Glossary", "../glossary/") in nav and ("How the calculator counts", "./") in nav
    assert nav.index(("Glossary", "../glossary/")) + 1 == nav.index(("How the calculator counts", "./"))
    assert "../calculator-method/" not in {a["href"] for a in site_build.page("").select(".costhub-hero a")}
