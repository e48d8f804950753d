"""The money model: generated papers with known money, through the loader and the canned
queries, to the cent; plus the loader on small contract-shaped results."""

import re
from urllib.parse import quote

import pytest
import sqlite_utils

from etl.db.build import publish
from etl.db.german import diff_text, german_date, german_number, german_year
from etl.db.money import money_rows, staff_numbers, submitter_kind
from etl.db.result_rows import result_rows
from etl.db.shape import ensure_db_shape
from etl.samples import money_truth as T
from etl.samples.money import contract_result, money_specs, write_money_state
from etl.serve import datasette_instance


@pytest.fixture(scope="module")
def specs():
    return money_specs()


@pytest.fixture(scope="module")
def money_db(specs, tmp_path_factory):
    data = tmp_path_factory.mktemp("money")
    publish(write_money_state(data, specs), data / "ratsdaten.db")
    return data / "ratsdaten.db"


@pytest.fixture(scope="module")
def ds(money_db):
    return datasette_instance(money_db)


async def query(ds, name: str, **params) -> list[dict]:
    qs = "&".join(f"{k}={quote(v)}" for k, v in params.items())
    response = await ds.client.get(f"/ratsdaten/{name}.json?_shape=array&_size=max&{qs}")
    assert response.status_code == 200, response.text
    return response.json()


def test_generated_papers_cover_what_the_model_must_handle(specs):
    current = T.current_specs(specs)
    assert len(current) < len(specs)  # several versions
    kinds = {d for s in specs for d, _y, _a, _p in T.money_of(s)}
    assert kinds == {"expenditure", "income", "saving"}
    assert any(ln["to"] and ln["to"][:4] != ln["from"][:4]
               for s in specs for ln in s["financial_impact"]["budget_lines"])  # multi-year
    submitters = {s["submitted_by"] for s in specs}
    assert any(n.startswith("Dezernat") for n in submitters) and submitters & T.FACTIONS
    assert any(T.is_amendment(s) for s in specs)
    assert any(s["city"] == "karlsruhe" and not s["financial_impact"]["budget_lines"]
               for s in specs)


@pytest.mark.asyncio
async def test_spending_per_faction_and_budget_year_to_the_cent(ds, specs):
    rows = await query(ds, "summe_je_einreicher_und_jahr", ab_jahr="", bis_jahr="")
    got = {}
    for r in rows:
        key = (r["fraktion"], r["haushaltsjahr"])
        got[key] = round(got.get(key, 0) + r["summe_eur"], 2)
    truth = T.spending_by_faction_year(specs)
    assert got == truth and len(truth) >= 3
    naive = sum(a for s in specs for d, _y, a, _p in T.money_of(s))  # every version, any direction
    assert round(sum(truth.values()), 2) < naive
    assert all(r["einmalig_eur"] + r["jaehrlich_eur"] == pytest.approx(r["summe_eur"])
               for r in rows)
    later = await query(ds, "summe_je_einreicher_und_jahr", ab_jahr="2023", bis_jahr="")
    assert {(r["fraktion"], r["haushaltsjahr"]) for r in later} == {k for k in got if k[1] >= 2023}


@pytest.mark.asyncio
async def test_income_and_savings_apart_to_the_cent(ds, specs):
    rows = await query(ds, "einnahmen_und_einsparungen", einreicher="", ab_jahr="", bis_jahr="")
    art = {"Einnahmen": "income", "Einsparungen": "saving"}
    got = {(art[r["art"]], r["einreicher"], r["haushaltsjahr"]): r["summe_eur"] for r in rows}
    assert got == T.income_and_savings(specs) and len(got) >= 3
    assert {k[0] for k in got} == {"income", "saving"}


@pytest.mark.asyncio
@pytest.mark.parametrize("typed, minimum", [("1.000.000", 1e6), ("1,5 Mio", 1.5e6),
                                            ("250000", 250000.0), ("", 0.0)])
async def test_papers_above_an_amount_typed_in_german(ds, specs, typed, minimum):
    rows = await query(ds, "vorlagen_mit_kosten", mindestbetrag=typed, einreicher="", jahr="")
    got = {r["reference"]: r["ausgaben_eur"] for r in rows if r["ausgaben_eur"] is not None}
    assert got == T.papers_above(specs, minimum) and got


@pytest.mark.asyncio
async def test_staff_positions_per_year_and_submitter(ds, specs):
    rows = await query(ds, "stellenplan", einreicher="", jahr="")
    got = {(r["jahr"], r["einreicher"]): (r["stellen_zu_vzae"] or 0, r["stellen_ab_vzae"] or 0)
           for r in rows}
    assert got == T.staff_by_year_submitter(specs) and got
    assert all(r["ohne_zahl"] == 0 for r in rows)


@pytest.mark.asyncio
async def test_versions_with_the_diff_as_text(ds, specs):
    groups = {b: refs for b, refs in T.versions_of(specs).items() if len(refs) > 2}
    base, refs = sorted(groups.items())[0]
    for typed in (base, f"  {base.lower()} ", refs[-1]):
        rows = await query(ds, "fassungen", drucksache=typed)
        assert sorted(r["reference"] for r in rows) == sorted(refs)
    current = [r["reference"] for r in rows if r["is_current"]]
    assert len(current) == 1 + sum("-ÄA-" in ref for ref in refs)
    assert max(r for r in refs if "-ÄA-" not in r) in current  # the newest Neufassung
    assert any(r["aenderungen"] and r["aenderungen"].startswith("Beschluss: ") for r in rows)


@pytest.mark.asyncio
async def test_climate_relevant_papers_of_both_cities(ds, specs):
    rows = await query(ds, "klimarelevante_vorlagen", richtung="", ab_datum="", bis_datum="")
    assert {r["reference"] for r in rows} == T.climate_relevant(specs)
    assert {r["stadt"] for r in rows} == {"leipzig", "karlsruhe"}
    dated = await query(ds, "klimarelevante_vorlagen", richtung="", ab_datum="01.01.2023",
                        bis_datum="31.12.2023")
    assert {r["reference"] for r in dated} == {r["reference"] for r in rows
                                               if r["date"].startswith("2023")}


@pytest.mark.asyncio
@pytest.mark.parametrize("name, params, word", [
    ("vorlagen_mit_kosten", {"mindestbetrag": "1.0x0"}, "kein Betrag"),
    ("vorlagen_mit_kosten", {"mindestbetrag": "1,000,000"}, "Tausenderpunkte"),
    ("stellenplan", {"jahr": "23"}, "kein Jahr"),
    ("klimarelevante_vorlagen", {"ab_datum": "31.02.2023"}, "gibt es nicht"),
])
async def test_unreadable_input_is_refused_in_german(ds, name, params, word):
    qs = "&".join(f"{k}={quote(v)}" for k, v in params.items())
    response = await ds.client.get(f"/ratsdaten/{name}.json?{qs}")
    assert response.status_code == 400 and word in response.json()["error"]
    page = await ds.client.get(f"/ratsdaten/{name}?{qs}")
    assert page.status_code == 400 and word in page.text


def test_reconciliation_money_model_equals_lines_of_current_versions(money_db):
    db = sqlite_utils.Database(money_db)
    model = dict(db.execute(
        "select m.direction, round(sum(m.amount_eur), 2) from money_lines m "
        "join current_papers p on p.id = m.paper_id "
        "where m.source in ('budget_lines', 'follow_up_lines') group by 1").fetchall())
    lines = dict(db.execute("""
        select direction, round(sum(amount), 2) from (
          select case when kind in ('Erträge', 'Einzahlungen') then 'income'
                      else 'expenditure' end as direction, amount_eur as amount
          from budget_lines where paper_id in (select id from current_papers)
          union all
          select case kind when 'Einsparungen' then 'saving' else 'expenditure' end,
            amount_eur_per_year
          from follow_up_lines where paper_id in (select id from current_papers))
        group by 1""").fetchall())
    assert model == lines and set(model) == {"expenditure", "income", "saving"}
    extra = db.execute("select count(*) from money_lines m join budget_lines b "
                       "on b.paper_id = m.paper_id where m.source = 'karlsruhe_extra'").fetchone()
    assert extra[0] == 0  # an extra amount only where no contract line carries the money


def test_build_info_counts_and_provenance_values(money_db):
    db = sqlite_utils.Database(money_db)
    info = {r["key"]: r["value"] for r in db.query("select * from build_info")}
    for table in ("papers", "money_lines", "climate_impacts", "occasions", "paper_versions"):
        assert int(info[f"rows_{table}"]) == db[table].count > 0
    assert db.execute("select count(*) from provenance where value is null").fetchone()[0] == 0
    value = db.execute("select value from provenance limit 1").fetchone()[0]
    assert '"amount_eur"' in value
    kinds = dict(db.execute("select submitter_kind, count(*) from papers group by 1").fetchall())
    assert set(kinds) == {"faction", "administration"}


# --- the loader on small contract-shaped results -----------------------------------------

def load(*results) -> sqlite_utils.Database:
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    for n, result in enumerate(results):
        db["papers"].insert({"id": f"p{n}", "reference": result["paper"]["reference"]})
        for table, rows in result_rows(result, f"p{n}", f"f{n}", True).items():
            if rows:
                db[table].insert_all(rows)
    return db


def karlsruhe(extra: dict, lines=(), follow=()) -> dict:
    spec = money_specs(leipzig=1, karlsruhe=1)[-1]
    fin = spec["financial_impact"]
    fin.update(extra=extra, budget_lines=list(lines), follow_up_lines=list(follow))
    return contract_result(spec)


def test_karlsruhe_extras_map_onto_the_same_columns():
    db = load(karlsruhe({"total_cost_eur": 125000.5, "annual_cost_eur": 3500.0,
                         "total_income_eur": 15000.0, "measure_kind": "Investition",
                         "co2_relevant": True, "co2_direction": "negativ",
                         "co2_extent": "geringfügig"}))
    rows = {(r["direction"], r["per_year"]): r for r in db["money_lines"].rows}
    assert rows[("expenditure", 0)]["amount_eur"] == 125000.5
    assert rows[("expenditure", 0)]["budget"] == "Finanzhaushalt"
    assert rows[("expenditure", 1)]["kind"] == "Folgekosten"
    assert rows[("income", 0)]["source"] == "karlsruhe_extra"
    climate = db["climate_impacts"].get("p0")
    assert (climate["relevant"], climate["direction"], climate["extent"]) == (1, "negativ",
                                                                              "geringfügig")


def test_an_extra_amount_carried_by_a_contract_line_is_not_counted_twice():
    line = {"budget": "Finanzhaushalt", "kind": "Gesamtkosten", "from": None, "to": None,
            "amount_eur": 48000.0, "budget_position": None}
    db = load(karlsruhe({"total_cost_eur": 48000.0, "co2_relevant": False}, [line]))
    assert [(r["source"], r["amount_eur"]) for r in db["money_lines"].rows] == [
        ("budget_lines", 48000.0)]
    assert db["climate_impacts"].get("p0")["relevant"] == 0


def test_leipzig_2021_fields_climate_occasion_tax():
    spec = money_specs(leipzig=40, karlsruhe=0)
    spec = next(s for s in spec
                if s["form"] == 2021 and s["climate_impact"]["significant_relevance"])
    spec["occasion"] = {"ticked": ["Sonstiges"], "other_text": "Petition VII-P-07960"}
    spec["financial_impact"]["tax_details"] = {"entrepreneurial_activity": True,
                                               "vat_liable": False, "vat_clause_in_contracts": None}
    db = load(contract_result(spec))
    climate = db["climate_impacts"].get("p0")
    assert (climate["relevant"], climate["extent"], climate["source_form"]) == (
        1, "erheblich", "leipzig_klimawirkung")
    assert climate["ghg_emissions"] == "120 t CO2-Äq./a" and climate["significant_relevance"] == 1
    occasion = db["occasions"].get("p0")
    assert (occasion["ticked"], occasion["other_text"]) == ('["Sonstiges"]', "Petition VII-P-07960")
    fin = db["financial_impacts"].get("p0")
    assert (fin["tax_entrepreneurial_activity"], fin["tax_vat_liable"],
            fin["tax_vat_clause_in_contracts"]) == (1, 0, None)


def test_follow_up_income_and_unticked_kind():
    rows = money_rows({"budget_lines": [], "follow_up_lines": [
        {"item": "Ergeb. HH Erträge", "kind": "Folgekosten", "from": "2024", "to": "2026",
         "amount_eur_per_year": 10.0, "budget_position": None},
        {"item": "Ergeb. HH Aufwand (ohne Abschreibungen)", "kind": None, "from": "2024-01-01",
         "to": None, "amount_eur_per_year": 5.0, "budget_position": None}]}, "p", "f")
    assert [(r["direction"], r["budget"], r["year_from"], r["year_to"]) for r in rows] == [
        ("income", "Ergebnishaushalt", 2024, 2026), (None, "Ergebnishaushalt", 2024, 2024)]


@pytest.mark.parametrize("text, fte, grade", [
    ("1,0 VzÄ EG 11 Sachbearbeitung", 1.0, "EG 11"),
    ("2 VzÄ Sachbearbeitung (EG 9b)", 2.0, "EG 9b"),
    ("0,5 VzÄ E 9a und 1 Stelle S 12", 1.5, "EG 9a; S 12"), ("zwei neue Stellen", 2.0, None),
    ("3.5 Stellen", 3.5, None), ("keine Stelle", None, None),
    ("Sachbearbeitung, Umfang offen", None, None)])
def test_staff_numbers(text, fte, grade):
    assert staff_numbers(text) == (fte, grade)


@pytest.mark.parametrize("name, kind", [
    ("Fraktion DIE LINKE", "faction"), ("GRÜNE-Gemeinderatsfraktion", "faction"),
    ("Oberbürgermeister", "administration"), ("Dezernat Finanzen", "administration"),
    ("Stadtplanungsamt", "administration"), ("Stadtbezirksbeirat Leipzig-Mitte", "committee"),
    ("Stadtrat T. Schäfer", "person"), ("Anna Müller", "person"), (None, None)])
def test_submitter_kinds(name, kind):
    assert submitter_kind(name) == kind
    assert submitter_kind(name, "Petition") == "petition"


@pytest.mark.parametrize("text, value", [
    ("1.000.000", 1e6), ("1,5 Mio", 1.5e6), ("1.250.000,00 €", 1250000.0), ("38400.50", 38400.5),
    ("2 Mrd.", 2e9), ("10 Tsd", 10000.0), ("", None), ("  ", None)])
def test_german_numbers(text, value):
    assert german_number(text) == value


@pytest.mark.parametrize("text", ["1.0x0", "1,000,000", "1.00.000", "eine Million", "1,5,0"])
def test_unreadable_numbers_raise(text):
    with pytest.raises(ValueError, match="Betrag|Tausender"):
        german_number(text)


def test_german_dates_and_years():
    assert german_date("31.12.2023") == "2023-12-31" and german_date("1.2.23") == "2023-02-01"
    assert german_date("2023", end=True) == "2023-12-31" and german_date("") is None
    assert german_year("2023") == 2023 and german_year("") is None
    with pytest.raises(ValueError, match="kein Datum"):
        german_date("12/31/2023")
    assert diff_text('{"resolution": [["=", "im Jahr"], ["-", "2019"], ["+", "2020"]], '
                     '"sections": []}') == "Beschluss: − 2019 + 2020"


def test_karlsruhe_lines_and_results_with_the_older_extra_keys():
    line = {"budget": "städtischer Haushalt", "kind": "Gesamtkosten", "from": None, "to": None,
            "amount_eur": 9800.0, "budget_position": None}
    db = load(karlsruhe({"income_eur": 500.0, "annual_burden_eur": 120.0,
                         "measure_kind": "Konsumtive Maßnahme"}, [line]))
    rows = sorted((r["source"], r["direction"], r["per_year"], r["budget"], r["amount_eur"])
                  for r in db["money_lines"].rows)
    assert rows == [("budget_lines", "expenditure", 0, "Ergebnishaushalt", 9800.0),
                    ("karlsruhe_extra", "expenditure", 1, "Ergebnishaushalt", 120.0),
                    ("karlsruhe_extra", "income", 0, "Ergebnishaushalt", 500.0)]


def test_submitter_kinds_of_real_leipzig_papers():
    import json

    from conftest import corpus_path

    papers = json.loads(corpus_path("leipzig", "paper_texts_2023-05.json").read_text())
    kinds = {p["originator"]: submitter_kind(p["originator"], p["paper_type"], p["reference"])
             for p in papers}
    assert sum(k is None for k in kinds.values()) == 0
    for name, kind in [("OR Mölkau", "committee"), ("SBB Südost", "committee"),
                       ("Migrantenbeirat", "committee"), ("Fraktion AfD", "faction"),
                       ("SR M. Schmidt; SR M. Weber", "person"), ("Bernard, Ulrike", "person"),
                       ("Dezernat Allgemeine Verwaltung", "administration"),
                       ("Petitionsausschuss / Petent: Mike Demmig", "petition")]:
        assert kinds[name] == kind, name


@pytest.mark.asyncio
async def test_amounts_german_in_html_raw_in_csv_and_json(ds):
    html = (await ds.client.get("/ratsdaten/money_lines?_sort_desc=amount_eur")).text
    assert re.search(r'<td class="col-amount_eur type-float"[^>]*>2\.300\.000,00 €</td>', html)
    csv = (await ds.client.get("/ratsdaten/money_lines.csv?_sort_desc=amount_eur&_size=1")).text
    assert ",2300000.0," in csv and "€" not in csv
    rows = await query(ds, "vorlagen_mit_kosten", mindestbetrag="2.300.000", einreicher="", jahr="")
    assert {r["ausgaben_eur"] for r in rows} == {2300000.0}
    page = (await ds.client.get("/ratsdaten/vorlagen_mit_kosten?mindestbetrag=2.300.000"
                                "&einreicher=&jahr=")).text
    assert "2.300.000,00 €" in page and "2300000.0" not in page


def test_current_papers_one_per_drucksache_amendments_and_standpoints_their_own():
    from etl.db.versions import version_rows

    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    papers = [("a", "VII-A-1", None, "Antrag", "2023-01-01"),
              ("b", "VII-A-1", "NF-01", "Neufassung", "2023-02-01"),
              ("c", "vii-a-1 ", "NF-02", "Neufassung", "2023-03-01"),
              ("d", "VII-A-1", "ÄA-01", "Änderungsantrag", "2023-02-15"),
              ("e", "VII-A-1", "VSP-01", "Verwaltungsstandpunkt", "2023-02-20"),
              ("f", None, None, "Antrag", "2023-01-01")]
    names = ("id", "base_reference", "version_suffix", "document_kind", "date")
    rows = [dict(zip(names, p, strict=True)) for p in papers]
    db["papers"].insert_all(rows)
    db["paper_versions"].insert_all(version_rows(rows, {}))
    current = {r["id"]: (r["version_role"], r["is_amendment"])
               for r in db.query("select * from current_papers")}
    assert current == {"c": ("revision", 0), "d": ("amendment", 1), "e": ("standpoint", 0),
                       "f": ("original", 0)}
    bases = {r["base_reference"] for r in db.query("select base_reference from paper_versions")}
    assert bases == {"VII-A-1"}  # as printed on the original: the paper page looks it up so


def test_generated_results_follow_the_contract(specs, validate):
    for spec in specs:
        validate(contract_result(spec))


def test_demo_database_through_the_real_extractor(demo_db):
    """The sample council's PDFs, synced and extracted: money as the generator drew it."""
    from etl.samples.papers import generate_papers

    db = sqlite_utils.Database(demo_db)
    specs = [dict(s, city="leipzig") for s in generate_papers(2018, 40)]
    got = {(r["f"], r["y"]): round(r["s"], 2) for r in db.query(
        "select p.submitted_by f, coalesce(m.year_from, p.year) y, sum(m.amount_eur) s "
        "from money_lines m join current_papers p on p.id = m.paper_id "
        "where m.direction = 'expenditure' and p.submitter_kind = 'faction' "
        "and p.version_role in ('original', 'revision') group by 1, 2")}
    assert got == T.spending_by_faction_year(specs) and got
    info = {r["key"]: r["value"] for r in db.query("select * from build_info")}
    for table in ("memberships", "papers", "provenance", "money_lines"):
        assert int(info[f"rows_{table}"]) == db[table].count
    assert db.execute("select count(*) from provenance where value is null").fetchone()[0] == 0
    assert db.execute("select count(spatial_reference) from papers").fetchone()[0] > 0
