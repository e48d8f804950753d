"""Two cities in one database, in Chromium. Climate relevance: one canned query and one
facet answer "which papers of any city have a climate effect", counted against the truth
per city. Then every other canned query with a form, filled with German input.

One database holds Leipzig 2021+ papers (PDFs from the project's generator with the
"Klimawirkung" page, rendered and extracted; truth = the generator's spec) and real
Karlsruhe papers with "CO2-Relevanz" (texts from ../shared/corpus/karlsruhe, extracted
with all their files; truth = the hand labels).
"""

import hashlib
import json
import re
from collections import Counter
from datetime import datetime, timedelta

import pytest
import sqlite_utils
from browsing import chromium, served
from karlsruhe_db import labelled_papers, write_karlsruhe_meetings, write_karlsruhe_state
from test_money_browser import run

from etl import EXTRACTOR_VERSION
from etl.db.build import extract_pending, publish
from etl.extract import extract_bytes
from etl.pdf.sandbox import Limits
from etl.samples.council import BASE, file_object, paper_object
from etl.samples.papers import generate_papers
from etl.samples.render import render_paper
from etl.state import now_iso, open_state, pack_result, register_body, store_file

from conftest import corpus_path

pytestmark = [pytest.mark.browser, pytest.mark.corpus]
SEED = 1414  # a seed no other test renders


@pytest.fixture(scope="module")
def leipzig_specs():
    specs = generate_papers(SEED, 20)
    assert any(s.get("climate_impact") for s in specs)
    return specs


@pytest.fixture(scope="module")
def karlsruhe():
    return [(label, paper) for label, paper in labelled_papers()
            if label["fields"].get("co2_relevant") is not None
            or label["fields"].get("has_financial_impact") is not None]


def write_leipzig_state(state, specs: list[dict], folder) -> None:
    """The generated papers as a sync would store them: OParl objects, PDFs extracted."""
    register_body(state, "leipzig", "Stadt Leipzig (Beispielrat)", "oparl", profile="leipzig")
    meetings: dict = {}
    for index, spec in enumerate(specs):
        path = folder / f"{index:04d}.pdf"
        render_paper(spec, path)
        data = path.read_bytes()
        file_obj = file_object(f"{BASE}/paper/{index + 1}", f"{index + 1:04d}", path.name,
                               data, spec["date"])
        paper = json.loads(json.dumps(paper_object(spec, index, file_obj, meetings))
                           .replace(BASE, "test:leipzig"))
        sha = hashlib.sha256(data).hexdigest()
        state["oparl_objects"].insert({"id": paper["id"], "body": "leipzig", "type": "Paper",
                                       "modified": spec["date"], "deleted": 0,
                                       "json": json.dumps(paper),
                                       "fetched_at": now_iso()})
        state["stored_files"].insert({"file_id": paper["mainFile"]["id"], "body": "leipzig",
                                      "sha256": sha, "path": str(path), "size": len(data),
                                      "stored_at": now_iso()})
        state["extractions"].insert({"sha256": sha, "extractor_version": EXTRACTOR_VERSION,
                                     "result": pack_result(extract_bytes(data)),
                                     "extracted_at": now_iso()})


def leipzig_current(specs: list[dict]) -> list[dict]:
    """The newest Neufassung of each Drucksache; an Änderungsantrag is its own paper."""
    newest: dict = {}
    for spec in specs:
        suffix = spec["version_suffix"] or ""
        key = spec["reference"] if suffix.startswith("ÄA") else \
            spec["reference"].removesuffix(f"-{suffix}")
        if key not in newest or suffix > (newest[key]["version_suffix"] or ""):
            newest[key] = spec
    return list(newest.values())


@pytest.fixture(scope="module")
def built(leipzig_specs, karlsruhe, tmp_path_factory):
    data = tmp_path_factory.mktemp("cities-site")
    state = open_state(data)
    (data / "pdf").mkdir()
    write_leipzig_state(state, leipzig_specs, data / "pdf")
    write_karlsruhe_state(state, [paper for _label, paper in karlsruhe])
    write_karlsruhe_meetings(state, [paper for _label, paper in karlsruhe])
    hostile = corpus_path("hostile", "pypdf", "r4-user-password.pdf")  # needs a password
    sha, path = store_file(data, hostile)
    state["stored_files"].insert({"file_id": "test:leipzig/file/locked", "body": "leipzig",
                                  "sha256": sha, "path": str(path.relative_to(data)),
                                  "size": path.stat().st_size, "stored_at": now_iso()})
    assert sum(extract_pending(state, data, Limits(workers=1, timeout=60),
                               progress=False).values()) == 1  # only the locked file
    publish(state, data / "ratsdaten.db")
    return data / "ratsdaten.db"


@pytest.fixture(scope="module")
def site(built):
    with served(built) as base:
        yield base


@pytest.fixture(scope="module")
def page(site):
    with chromium() as browser:
        yield browser.new_page(java_script_enabled=False)


def relevant_truth(leipzig_specs, karlsruhe, current: bool = True, direction: str = "",
                   start: str = "", end: str = "") -> Counter:
    """Papers with a climate effect per city, from the generator's specs and the labels."""
    found = Counter()
    specs = leipzig_current(leipzig_specs) if current else leipzig_specs
    for spec in specs:
        if (spec.get("climate_impact") or {}).get("significant_relevance") and not direction \
                and start <= spec["date"][:10] <= (end or "9999"):
            found["leipzig"] += 1
    for label, paper in karlsruhe:
        fields = label["fields"]
        if fields.get("co2_relevant") and direction in ("", fields.get("co2_direction")) \
                and start <= paper["date"][:10] <= (end or "9999"):
            found["karlsruhe"] += 1
    return found


def test_climate_query_counts_per_city(page, site, leipzig_specs, karlsruhe):
    rows = run(page, site, "klimarelevante_vorlagen", richtung="", ab_datum="", bis_datum="")
    truth = relevant_truth(leipzig_specs, karlsruhe)
    assert Counter(row[0] for row in rows) == truth
    assert truth["leipzig"] >= 2 and truth["karlsruhe"] >= 10


def test_climate_query_with_direction_and_german_dates(page, site, leipzig_specs, karlsruhe):
    rows = run(page, site, "klimarelevante_vorlagen", richtung="Positiv ",
               ab_datum="01.01.2021", bis_datum="31.12.2023")
    truth = relevant_truth(leipzig_specs, karlsruhe, direction="positiv",
                           start="2021-01-01", end="2023-12-31")
    assert Counter(row[0] for row in rows) == truth and truth["karlsruhe"] >= 3
    assert {row[5] for row in rows} == {"positiv"}


def facet(page, site: str, query: str, column: str) -> dict[str, int]:
    """The counts a table page's facet shows, as a reader sees them."""
    page.goto(f"{site}/ratsdaten/climate_impacts?{query}")
    found = {}
    for item in page.locator(f"[data-column={column}] ul li").all():
        value, _, count = item.inner_text().rpartition(" ")
        found[value.strip()] = int(count.replace(".", "").replace(",", ""))
    return found


@pytest.mark.parametrize("city, form", [("leipzig", "leipzig_klimawirkung"),
                                        ("karlsruhe", "karlsruhe_co2")])
def test_relevance_facet_per_city(page, site, leipzig_specs, karlsruhe, city, form):
    got = facet(page, site, f"source_form={form}", "relevant")
    if city == "leipzig":
        ticks = [s["climate_impact"]["significant_relevance"] for s in leipzig_specs
                 if s.get("climate_impact")]
    else:
        ticks = [lb["fields"]["co2_relevant"] for lb, _p in karlsruhe
                 if lb["fields"].get("co2_relevant") is not None]
    truth = {"1": sum(ticks), "0": len(ticks) - sum(ticks)}
    assert got == truth and min(truth.values()) >= 2


def test_relevant_facet_by_form_counts_both_cities(page, site, leipzig_specs, karlsruhe):
    got = facet(page, site, "relevant=1", "source_form")
    truth = relevant_truth(leipzig_specs, karlsruhe, current=False)
    assert got == {"leipzig_klimawirkung": truth["leipzig"],
                   "karlsruhe_co2": truth["karlsruhe"]}


# --- the other canned queries with a form, typed in German, counted -------------------

def words(text: str | None) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+", text or "")}


@pytest.fixture(scope="module")
def db(built):
    return sqlite_utils.Database(built)


@pytest.mark.parametrize("typed", ["Grötzingen", "Städtebauliche  Öffentlichkeit"])
def test_full_text_search_counts_pages(page, site, db, typed):
    wanted = words(typed)
    truth = sum(wanted <= words(r["text"]) for r in db.query("select text from pages"))
    rows = run(page, site, "suche", suchwort=typed)
    assert len(rows) == truth and 0 < truth < 50  # below the query's limit of 50


def test_parts_of_words_count_papers(page, site, db):
    truth = sum("straße" in " ".join(filter(None, r.values())).lower()
                for r in db.query("select reference, name, submitted_by from papers"))
    rows = run(page, site, "teile_von_woertern", wortteil="Straße")
    assert len(rows) == truth >= 3


@pytest.mark.parametrize("fields", [{"suchwort": "Neubau"},
                                    {"einreicher": "Oberbürgermeister"}])
def test_new_papers_feed_filters(page, site, db, fields):
    papers = list(db.query("select reference, name, submitted_by from papers"))
    if "suchwort" in fields:
        truth = sum("neubau" in words(" ".join(filter(None, p.values()))) for p in papers)
    else:
        truth = sum(p["submitted_by"] == fields["einreicher"] for p in papers)
    rows = run(page, site, "neue_vorlagen", **{"suchwort": "", "einreicher": "", "gremium": "",
                                                **fields})
    assert len(rows) == truth >= 2


def test_files_changed_after_publication(page, site, karlsruhe):
    """Karlsruhe's archive dates its files (created, modified); counted from the OParl
    objects, the generated Leipzig files are never changed."""
    truth = sum(
        datetime.fromisoformat(f["modified"]) - datetime.fromisoformat(f["created"])
        > timedelta(days=1)
        for _label, paper in karlsruhe for f in paper["auxiliaryFile"]
        if f.get("created") and f.get("modified"))
    page.goto(f"{site}/ratsdaten/nachtraeglich_geaenderte_dateien")
    assert page.locator("table.rows-and-columns tbody tr").count() == truth >= 100


def test_meeting_calendar_lists_the_meetings(page, site, karlsruhe):
    meetings = {c["meeting"] for _label, paper in karlsruhe
                for c in paper.get("consultation") or [] if c.get("meeting")}
    page.goto(f"{site}/ratsdaten/sitzungen_kalender")
    assert page.locator("table.rows-and-columns tbody tr").count() == len(meetings) >= 20


def test_what_could_not_be_read(page, site):
    """The one stored file that needs a password is the one failure, with its body."""
    page.goto(f"{site}/ratsdaten/nicht_lesbar")
    rows = [[cell.inner_text() for cell in row.locator("td").all()]
            for row in page.locator("table.rows-and-columns tbody tr").all()]
    assert len(rows) == 1 and rows[0][0] == "leipzig" and rows[0][3] == "1"
