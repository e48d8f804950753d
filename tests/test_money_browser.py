"""Each money query as a journalist uses it: its form filled with German input in Chromium."""

import re
from pathlib import Path

import pytest
from browsing import chromium, served

from etl.db.build import publish
from etl.samples import money_truth as T
from etl.samples.money import money_specs, write_money_state

SCREENSHOTS = Path(__file__).resolve().parent.parent / "data" / "screenshots"
pytestmark = pytest.mark.browser


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def specs():
    return money_specs()


@pytest.fixture(scope="module")
def site(specs, tmp_path_factory):
    data = tmp_path_factory.mktemp("money-site")
    publish(write_money_state(data, specs), data / "ratsdaten.db")
    with served(data / "ratsdaten.db") as base:
        yield base


@pytest.fixture(scope="module")
def page(site):
    with chromium() as browser:
        yield browser.new_page(java_script_enabled=False)


def run(page, site: str, query: str, **fields) -> list[list[str]]:
    """Open the query's page, type into its form, submit; the result table's rows."""
    page.goto(f"{site}/ratsdaten/{query}")
    for name, text in fields.items():
        page.fill(f"input[name={name}]", text)
    page.click("form input[type=submit]")
    page.wait_for_load_state()
    shot(page, f"money-{query}")
    return [[cell.inner_text() for cell in row.locator("td").all()]
            for row in page.locator("table.rows-and-columns tbody tr").all()]


EURO = re.compile(r"^\d{1,3}(?:\.\d{3})*,\d{2} €$")


def test_papers_above_a_german_amount(page, site, specs):
    rows = run(page, site, "vorlagen_mit_kosten", mindestbetrag="1.000.000")
    assert len(rows) == len(T.papers_above(specs, 1e6)) > 0
    assert any(EURO.match(cell) for cell in rows[0])  # 2.300.000,00 € in HTML


def test_papers_above_millions_in_words(page, site, specs):
    rows = run(page, site, "vorlagen_mit_kosten", mindestbetrag="1,5 Mio")
    assert len(rows) == len(T.papers_above(specs, 1.5e6)) > 0


def test_spending_per_faction_and_year(page, site, specs):
    rows = run(page, site, "summe_je_einreicher_und_jahr", ab_jahr="2023", bis_jahr="")
    expected = {k for k in T.spending_by_faction_year(specs) if k[1] >= 2023}
    assert len({(r[0], r[1]) for r in rows}) == len(expected) > 0


def test_income_and_savings(page, site, specs):
    rows = run(page, site, "einnahmen_und_einsparungen", einreicher="", ab_jahr="", bis_jahr="")
    assert len(rows) == len(T.income_and_savings(specs)) > 0


def test_staff_positions(page, site, specs):
    rows = run(page, site, "stellenplan", einreicher="", jahr="")
    assert len(rows) == len(T.staff_by_year_submitter(specs)) > 0


def test_versions_typed_in_lower_case(page, site, specs):
    base, refs = sorted((b, r) for b, r in T.versions_of(specs).items() if len(r) > 2)[0]
    rows = run(page, site, "fassungen", drucksache=f" {base.lower()} ")
    assert len(rows) == len(refs)
    assert any("+ " in cell for row in rows for cell in row)  # the diff as text


def test_climate_relevant_with_german_dates(page, site, specs):
    rows = run(page, site, "klimarelevante_vorlagen", richtung="", ab_datum="01.01.2021",
               bis_datum="31.12.2030")
    assert len(rows) == len(T.climate_relevant(specs)) > 0


def test_unreadable_amount_gets_a_german_message(page, site):
    page.goto(f"{site}/ratsdaten/vorlagen_mit_kosten")
    page.fill("input[name=mindestbetrag]", "1.0x0")
    page.click("form input[type=submit]")
    page.wait_for_load_state()
    assert "ist kein Betrag" in page.content()
    assert page.locator("table.rows-and-columns tbody tr").count() == 0


def test_committee_in_a_period_with_german_dates(page, site, specs):
    rows = run(page, site, "gremium_im_zeitraum", gremium="Ratsversammlung",
               von="01.01.2022", bis="31.12.2022")
    expected = {(s["reference"], c["committee"], c["role"], c["date"]) for s in specs
                for c in s["consultations"]
                if c["committee"] == "Ratsversammlung" and c["date"].startswith("2022")}
    assert len(rows) == len(expected) > 0
