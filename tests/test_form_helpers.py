"""Unit tests of the form reader's helpers: OCR post-correction (every rule's example),
hyphen joining, dates, label matching over line breaks, amounts (imported, not owned)."""

import pytest

from etl.pdf.text import Word, normalise_text
from etl.profiles.amounts import parse_amount
from etl.profiles.bands import phrase_at, squash
from etl.profiles.form import Line, parse_when
from etl.profiles.lines import is_furniture, join_hyphenated
from etl.profiles.ocrfix import correct_text, correct_words, rules


@pytest.mark.parametrize("name, example, expected",
                         [(r[0], r[3], r[4]) for r in rules()], ids=[r[0] for r in rules()])
def test_every_ocr_rule_corrects_its_example(name, example, expected):
    assert correct_text(example) == expected


@pytest.mark.parametrize("text", ["Die Kosten 2024 betragen 12,50 EUR", "gemäß § 79 SächsGemO",
                                  "VII-DS-08561 vom 12.03.2023", "S 5 und Seite 3",
                                  "Oberbürgermeister", "1.250,00 €"])
def test_ocr_rules_leave_right_text_alone(text):
    assert correct_text(text) == text


def test_corrected_words_keep_their_boxes():
    words = [Word(t, 10.0 * i, 0, 10.0 * i + 8, 8, 1) for i, t in
             enumerate(["gemäß", "$", "79", "SächsGemO", "vom", "3O.O6.2O23"])]
    fixed = correct_words(words)
    assert [w.text for w in fixed] == ["gemäß", "§", "79", "SächsGemO", "vom", "30.06.2023"]
    assert [w.bbox for w in fixed] == [w.bbox for w in words]
    assert fixed[0] is words[0]


@pytest.mark.parametrize("raw, joined", [
    ("Bau- und Finanzierungsbeschluss", "Bau- und Finanzierungsbeschluss"),
    ("Kinder- oder Jugendplan", "Kinder- oder Jugendplan"),
    ("Schul- bzw. Kitabau", "Schul- bzw. Kitabau"),
    ("Kultur-, Sport- sowie Freiraumangebote", "Kultur-, Sport- sowie Freiraumangebote"),
    ("Schul- beirat", "Schulbeirat"), ("Sozial- planung)", "Sozialplanung)"),
    ("Energie- /Ressourcenverbrauch", "Energie- /Ressourcenverbrauch"),
    ("undurch- sichtig", "undurchsichtig"), ("Bau-  und\n Betrieb", "Bau- und Betrieb"),
])
def test_hyphens_at_line_ends(raw, joined):
    assert join_hyphenated(raw) == joined


def test_page_text_keeps_elided_compounds():
    assert normalise_text("Bau-\nund Finanzierungs-\nbeschluss") == \
        "Bau- und Finanzierungsbeschluss"
    assert normalise_text("Kinder-\noder Jugend") == "Kinder- oder Jugend"


@pytest.mark.parametrize("text, when", [("31.12.2019", "2019-12-31"), ("1.3.2024", "2024-03-01"),
                                        ("03/2019", "2019-03"), ("2019", "2019"),
                                        ("2019-03-31", "2019-03-31"), ("", None), (None, None),
                                        ("ab 2019", None), ("31.12.19", None),
                                        # no calendar has them: a misread digit
                                        ("19.41.2021", None), ("30.02.2022", None),
                                        ("21.05.3202", None), ("13/2019", None),
                                        ("1250", None), ("2019-13", None)])
def test_parse_when(text, when):
    assert parse_when(text) == when


@pytest.mark.parametrize("text, amount", [("1.250.000,00 €", 1250000.0), ("150 T€", 150000.0),
                                          ("12,5 Tsd. EUR", 12500.0), ("ca. 2.500 Euro", 2500.0),
                                          ("keine", None)])
def test_amounts_as_the_form_reader_gets_them(text, amount):
    assert parse_amount(text) == amount


def test_bare_numbers_are_furniture_only_at_the_page_edge():
    assert is_furniture("2/7") and is_furniture("3 von 7 in Zusammenstellung")
    assert not is_furniture("2028", at_edge=False) and is_furniture("2028", at_edge=True)
    assert is_furniture("Seite 2 von 5", at_edge=False)
    assert is_furniture("5 von 5") and not is_furniture("5 von 5", at_edge=False)


def test_phrases_match_whatever_the_word_breaks():
    words = [Word(t, 10.0 * i, 0, 10.0 * i + 8, 8, 1) for i, t in
             enumerate(["Beantragte", "Stellen-", "erweiterung:", "1,0", "VzÄ"])]
    assert phrase_at(Line(1, words), "Beantragte Stellenerweiterung:") == 3
    assert phrase_at(Line(1, words), "Vorgesehener Stellenabbau:") is None
    assert squash("Handelt es sich um eine Investition (damit aktivierungs- pflichtig)?") == \
        squash("Handelt es sich um eine Investition (damit aktivierungspflichtig)?")


@pytest.mark.parametrize(("read", "value"), [
    ("liegt vor: Anlage/Kapitel der Vorlage: Anlage 3", ["Anlage", "3"]),  # 8761-018: 's.' lost
    ("liegt vor: s. Anlage/Kapitel der Vorlage: Anlage 3", ["Anlage", "3"]),
    ("liegt vor: s. Aniage/Kapitel der Vorlage: Kapitel 4", ["Kapitel", "4"]),
    ("liegt vor: s. Anlage/Kapitel der Vorlage Kapitel 4", ["Kapitel", "4"])])
def test_a_label_read_a_letter_short_leaves_the_value_whole(read, value):
    """Tuning scan 8761-018: 'liegt vor: s. Anlage/Kapitel der Vorlage: Anlage 3' read with
    's.' lost; the label, matched fuzzily, took 'Anlage' of the value with it ('3')."""
    words = [Word(t, 10.0 * i, 0, 10.0 * i + 8, 8, 1) for i, t in enumerate(read.split())]
    at = phrase_at(Line(1, words), "liegt vor: s. Anlage/Kapitel der Vorlage:", fuzzy=True)
    assert at is not None and [w.text for w in words[at:]] == value


def test_fuzzy_label_shortcut_never_changes_a_match(monkeypatch):
    """bands._enough_pairs only spares difflib work: with or without it, every OCR-like
    variant of every Leipzig label in a band of other text matches the same way."""
    import random

    from etl.profiles import bands
    from etl.profiles.leipzig_spec import QUESTIONS

    rng, cases = random.Random(7), []
    for question in QUESTIONS:
        target = squash(question.label)
        for _ in range(30):
            noisy = "".join(c if rng.random() > 0.08 else rng.choice("iIl1rnmeo") for c in target)
            before = "".join(rng.choice("abcdefghiklmnorstu") for _ in range(rng.randint(0, 40)))
            after = "".join(rng.choice("abcdefghiklmnorstu") for _ in range(rng.randint(0, 40)))
            cut = rng.randint(0, len(noisy))
            stream = before + noisy + after
            cases.append((target, stream, len(before) + cut, len(stream) - len(before) - cut))
    with_bound = [bands._matches(t, s, a, max(1, b), True) for t, s, a, b in cases]
    monkeypatch.setattr(bands, "_enough_pairs", lambda *args: True)
    assert with_bound == [bands._matches(t, s, a, max(1, b), True) for t, s, a, b in cases]
    assert 0.2 < sum(with_bound) / len(cases) < 0.9  # both kinds of case are there


def test_option_starts_read_from_the_word_text_as_is_anchor_says():
    """bands._starts_option (cached by a word's text) answers as is_anchor on the word
    itself, wherever the word stands, for OCR's glued and misread option words."""
    from etl.profiles import bands
    from etl.profiles.leipzig_spec import QUESTIONS

    texts = ["nein", "Onein", "nein]", "ja&", "Xja", "wenn", "wcnn", "ja,", "keine", "Kein",
             "neinja", "Stellenplan", "x", "[_]", "jährlich", "einmalig", "Ja"]
    for question in QUESTIONS:
        for text in texts:
            for fuzzy in (False, True):
                word = Word(text, 312.5, 80.0, 340.0, 91.0, 3)
                expected = any(bands.is_anchor(word, o, fuzzy) for o in question.options)
                assert bands._starts_option(text, question.options, fuzzy) is expected


def test_ratio_bound_is_difflibs_ratio():
    import difflib
    import random

    from etl.profiles.bands import _ratio_at_least

    rng = random.Random(3)
    for _ in range(400):
        a = "".join(rng.choice("aeinrst") for _ in range(rng.randint(3, 20)))
        b = "".join(rng.choice("aeinrst") for _ in range(rng.randint(3, 20)))
        least = rng.choice([0.5, 0.7, 0.86])
        ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
        assert _ratio_at_least(a, b, least) is (ratio >= least)
