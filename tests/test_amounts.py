"""Amounts as Karlsruhe and Leipzig forms print them; words stay words."""

import pytest

from etl.profiles.amounts import parse_amount, read_amount


@pytest.mark.parametrize("printed, eur", [
    ("300,-", 300.0),
    ("786.000,-€", 786000.0),
    ("95.000,00", 95000.0),
    ("4,55 Mio €", 4550000.0),
    ("135.420.000 € netto", 135420000.0),
    ("ca. 4,9 Mio EUR", 4900000.0),
    ("95.000\nEuro", 95000.0),
    ("1.250.000,00 €", 1250000.0),
    ("150.000 EUR", 150000.0),
    ("12,5 T€", 12500.0),
    ("1,2 T€", 1200.0),
    ("ca. +29 Tsd.€", 29000.0),
    ("2,3 Millionen Euro", 2300000.0),
    ("Ca. 1,34 Mio. €", 1340000.0),
    ("ca.142.745 €", 142745.0),
    ("20 000 Euro", 20000.0),
    ("-5.000,00", -5000.0),
    ("- 1.410 €", -1410.0),
    ("29.427,84 Euro p.a.", 29427.84),
    ("1.980.000 €, brutto", 1980000.0),
    ("3.000.-", 3000.0),
    ("25000.-", 25000.0),
])
def test_printed_amounts_become_euros(printed, eur):
    assert parse_amount(printed) == eur
    assert read_amount(printed) == {"eur": eur}


@pytest.mark.parametrize("printed", [
    "siehe Erläuterungen",
    "k. A.",
    "nicht budgetiert",
    "2025: rund 15.000 Euro 2026: rund 45.000 Euro",
    "2.867.100 € (ohne Mittagessen) 3.834.374 € (mit Mittagessen)",
    "2.000 bis 3.000 Euro je nach Variante",
    "5,3 bis 5,9 Mio. € (siehe Punkt 6 im Erläuterungsteil)",
    "10.000 - 12.000 Euro",
])
def test_words_are_kept_as_text_never_a_number(printed):
    assert parse_amount(printed) is None
    assert read_amount(printed) == {"text": " ".join(printed.split())}


@pytest.mark.parametrize("printed", [None, "", "  ", "€", "Euro", " € "])
def test_blank_fields_are_none(printed):
    assert read_amount(printed) is None and parse_amount(printed) is None


@pytest.mark.parametrize("printed, eur", [
    ("Reduzierung Mitteleinsatz um 25.000 €", 25000.0),
    ("ca. 1,2 Mio. Euro im Rahmen der PPK-Sammlung für 2024", 1200000.0),
    ("Ertrag 2026: 185.800 €", 185800.0),
    ("69.174.700 € brutto 58.130.000 € netto", 69174700.0),
    ("586.866,- Euro, 2022: 165.018,- Euro, 2023: 179.118,- Euro", 586866.0),
])
def test_one_amount_among_words_keeps_both(printed, eur):
    assert parse_amount(printed) is None
    assert read_amount(printed) == {"eur": eur, "text": printed}


def test_bare_numbers_in_grid_cells_still_parse():
    assert parse_amount("20000") == 20000.0 and parse_amount("2019") == 2019.0
