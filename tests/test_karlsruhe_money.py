"""The money model on real Karlsruhe papers: a canned money query against the hand labels.

The papers of the hand-labelled files go through the real extractor (every file of each
paper, as synced) and the real loader into a database; "Vorlagen mit Ausgaben ab einem
Betrag" then answers, per paper, what the labels – written by reading the texts – say the
form prints, mapped as the money model documents it: Gesamtkosten → one-off spending,
Jährliche/r Budgetbedarf/Folgekosten → yearly spending, Gesamteinzahlung → income,
Jährlicher Ertrag → yearly income (income never spending, yearly never one-off).
"""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlite_utils
from karlsruhe_db import AMOUNTS, labelled_papers, write_karlsruhe_state

from etl.db.build import publish
from etl.serve import datasette_instance
from etl.state import open_state

# column of vorlagen_mit_kosten -> the labelled form fields it adds up
COLUMNS = {"ausgaben_eur": ("total_cost",), "folgekosten_je_jahr_eur": ("annual_cost",),
           "einnahmen_eur": ("total_income",), "ertraege_je_jahr_eur": ("annual_income",)}
SPENDING = ("ausgaben_eur", "folgekosten_je_jahr_eur")
UNLABELLED = object()


def label_truth(fields: dict, column: str):
    """The column's value from the label alone: None when no number is printed, UNLABELLED
    when none of its fields is labelled (not on that form, or left out as ambiguous)."""
    names = [name for name in COLUMNS[column] if name in fields]
    if not names:
        return UNLABELLED
    numbers = [fields[n]["eur"] for n in names if fields[n] and fields[n].get("eur") is not None]
    return round(sum(numbers), 2) if numbers else None


@pytest.fixture(scope="module")
def money_papers():
    pairs = [(label, paper) for label, paper in labelled_papers()
             if any(label["fields"].get(name) for name in AMOUNTS)
             or label["fields"].get("has_financial_impact") is not None]
    assert len(pairs) >= 60
    return pairs


@pytest.fixture(scope="module")
def db_path(money_papers, tmp_path_factory):
    data = tmp_path_factory.mktemp("karlsruhe-money")
    state = open_state(data)
    write_karlsruhe_state(state, [paper for _label, paper in money_papers])
    publish(state, data / "ratsdaten.db")
    return data / "ratsdaten.db"


async def papers_above(db_path, minimum: str = "") -> list[dict]:
    response = await datasette_instance(db_path).client.get(
        "/ratsdaten/vorlagen_mit_kosten.json?_shape=array&_size=max"
        f"&mindestbetrag={minimum}&einreicher=&jahr=")
    assert response.status_code == 200, response.text
    return response.json()


def _paper_id(row: dict) -> str:
    return parse_qs(urlsplit(row["seite"]).query)["id"][0]


def unassigned(db_path) -> set[str]:
    """Papers whose extraction recorded amounts it could not place in a column."""
    db = sqlite_utils.Database(db_path)
    return {r["paper_id"] for r in db.query("select paper_id, extra from financial_impacts")
            if json.loads(r["extra"] or "{}").get("amounts_unassigned")}


@pytest.mark.corpus
@pytest.mark.asyncio
async def test_papers_above_an_amount_sum_karlsruhe_to_the_cent(money_papers, db_path):
    query_rows = await papers_above(db_path)
    not_placed = unassigned(db_path)
    got = {_paper_id(row): row for row in query_rows}
    assert got and {row["reference"] for row in query_rows} <= {
        p["reference"] for _l, p in money_papers}
    compared, missing, wrong = 0, [], []
    totals = {column: [0.0, 0.0] for column in COLUMNS}  # [query, labels]
    for label, paper in money_papers:
        spends = [label_truth(label["fields"], c) for c in SPENDING]
        if not any(isinstance(v, float) for v in spends) and paper["id"] not in got:
            continue  # a spending query lists no paper without spending
        for column in COLUMNS:
            truth = label_truth(label["fields"], column)
            if truth is UNLABELLED:
                continue
            value = got.get(paper["id"], {}).get(column)
            compared += 1
            if value == truth:
                totals[column][0] += value or 0
                totals[column][1] += truth or 0
            elif value is None and paper["id"] in not_placed:
                missing.append((paper["reference"], column, truth))  # not placed, not wrong
            else:
                wrong.append((paper["reference"], column, truth, value))
    assert not wrong, wrong
    assert len(missing) <= 2, missing
    assert compared >= 120  # papers with spending only: 131 values on the labelled set
    numbers = sum(1 for label, _p in money_papers for n in AMOUNTS
                  if (label["fields"].get(n) or {}).get("eur") is not None)
    assert numbers >= 60  # the labels printed numbers, not only blanks
    for column, (query_total, label_total) in totals.items():
        assert round(query_total, 2) == round(label_total, 2) > 0, column


@pytest.mark.corpus
def test_money_of_an_antrag_comes_from_its_stellungnahme(money_papers, db_path):
    """A Karlsruhe Antrag lists the faction's text first; the form with the money is in the
    administration's Stellungnahme, which must be the paper's cover sheet."""
    db = sqlite_utils.Database(db_path)
    main = dict(db.execute("select id, main_file_id from papers").fetchall())
    shown = [(label, paper) for label, paper in money_papers
             if paper["paperType"] == "Antrag" and label["fields"].get("has_financial_impact")
             is not None and paper["auxiliaryFile"][0]["id"] != label["file_id"]]
    assert len(shown) >= 3
    for label, paper in shown:
        assert main[paper["id"]] == label["file_id"], paper["reference"]


@pytest.mark.corpus
@pytest.mark.asyncio
@pytest.mark.parametrize("typed, minimum", [("1.000.000", 1e6), ("2,5 Mio", 2.5e6),
                                            ("50000", 5e4)])
async def test_papers_above_a_german_amount_match_the_labels(money_papers, db_path, typed,
                                                             minimum):
    rows = await papers_above(db_path, typed.replace(" ", "%20"))
    labelled = {paper["id"]: label["fields"] for label, paper in money_papers}
    # papers whose Gesamtkosten the labeller left out (ambiguous, or not on the form) aside
    got = {_paper_id(r) for r in rows if "total_cost" in labelled.get(_paper_id(r), {})}
    truth = {pid for pid, fields in labelled.items()
             if (fields.get("total_cost") or {}).get("eur", 0) >= minimum}
    assert got == truth and len(truth) >= 3
    assert all(r["ausgaben_eur"] >= minimum for r in rows)
