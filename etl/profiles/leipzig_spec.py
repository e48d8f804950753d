"""The Leipzig (ALLRIS) cover sheet as data: its questions, option lists, grids and goals.

Both form generations: the 2018 form and the 2021+ form with "Anlass der Vorlage",
the tax sub-questions and the "Klimawirkung" page. Wording as printed in the real
texts (shared corpus, leipzig/paper_texts_2023-05.json).
"""

from .formspec import Option, Question, choice, tristate

SAME = ["Aussage nicht möglich", "ja", "nein"]
QUESTIONS = [
    tristate("financial_impact.has_financial_impact", "Finanzielle Auswirkungen", "wenn ja"),
    tristate("financial_impact.cheaper_alternatives_checked",
             "Kostengünstigere Alternativen geprüft"),
    tristate("financial_impact.consequences_of_rejection", "Folgen bei Ablehnung"),
    tristate("financial_impact.is_investment",
             "Handelt es sich um eine Investition (damit aktivierungspflichtig)?"),
    tristate("financial_impact.has_follow_up_costs", "Entstehen Folgekosten oder Einsparungen?",
             "wenn ja"),
    tristate("financial_impact.tax_review", "Steuerrechtliche Prüfung", "wenn ja"),
    tristate("financial_impact.tax_details.entrepreneurial_activity",
             "Unternehmerische Tätigkeit i.S.d. §§ 2 Abs. 1 und 2B UStG"),
    tristate("financial_impact.tax_details.vat_liable", "Umsatzsteuerpflicht der Leistung"),
    tristate("financial_impact.tax_details.vat_clause_in_contracts",
             "Bei Verträgen: Umsatzsteuerklausel aufgenommen", yes_first=True),
    tristate("staffing.has_staffing_impact", "Auswirkungen auf den Stellenplan", "wenn ja"),
    tristate("staffing.staff_council_involved", "Beteiligung Personalrat"),
    choice("climate_impact.energy_sources", "Eingesetzte Energieträger (Strom, Wärme, Brennstoff)",
           ["keine / Aussage nicht möglich", "erneuerbar", "fossil"]),
    choice("climate_impact.reduces_consumption",
           "Reduziert bestehenden Energie-/Ressourcenverbrauch", SAME),
    choice("climate_impact.stores_co2", "Speichert CO2-Emissionen (u.a. Baumpflanzungen)", SAME),
    choice("climate_impact.mitigates_climate_effects", "Mindert die Auswirkungen des "
           "Klimawandels (u. a. Entsiegelung, Regenwassermanagement)", SAME),
    tristate("climate_impact.significant_relevance",
             "Abschätzbare Klimawirkung mit erheblicher Relevanz", "ja, da", yes_first=True),
    Question("climate_impact.no_assessable_impact", "Vorlage hat keine abschätzbare Klimawirkung",
             (Option("ja", True),)),
    choice("climate_impact.considers_climate_decisions", "Die Vorlage berücksichtigt die "
           "zentralen energie- und klimapolitischen Beschlüsse", ["ja", "nein", "nicht berührt"]),
]
OCCASION = choice("occasion.ticked", "Anlass der Vorlage",
                  ["Rechtliche Vorschriften", "Stadtratsbeschluss", "Verwaltungshandeln",
                   "Sonstiges"], kind="list")
# Stufe 3 of the climate page: text after these labels ("____" is a blank line)
CLIMATE_TEXTS = [("climate_impact.ghg_emissions", "Berechnete THG-Emissionen (in t bzw. t./a):"),
                 ("climate_impact.documented_in", "liegt vor: s. Anlage/Kapitel der Vorlage:"),
                 ("climate_impact.submitted_with", "wird vorgelegt mit:")]
STAFFING_TEXTS = [("staffing.positions_added", "Beantragte Stellenerweiterung:"),
                  ("staffing.positions_removed", "Vorgesehener Stellenabbau:")]

BUDGET_ROWS = [("Ergebnishaushalt", "Erträge"), ("Ergebnishaushalt", "Aufwendungen"),
               ("Finanzhaushalt", "Einzahlungen"), ("Finanzhaushalt", "Auszahlungen")]
FOLLOW_UP_SCOPES = ["Zu Lasten anderer OE", "Nach Durchführung der Maßnahme zu erwarten"]
FOLLOW_UP_ITEM_START = "Ergeb."
FOLLOW_UP_ITEMS = ["Ergeb. HH Erträge", "Ergeb. HH Aufwand",  # the grid's rows, as printed
                   "Ergeb. HH Aufwand (ohne Abschreibungen)",
                   "Ergeb. HH Aufwand aus jährl. Abschreibungen"]
FOLLOW_UP_KINDS = ["Folgekosten", "Einsparungen"]  # checkbox columns (or boxes above the grid)
GRID_COLUMNS = {"von": "from", "bis": "to", "höhe": "amount", "wo": "position"}
# a header cell's other words, for when OCR lost the one GRID_COLUMNS names (held-out scans
# 9953-005, -104, -165: 'wo', 'von' lost, the whole grid with them): the column, the cell's
# text before the word
BUDGET_SPARE = {"veranschlagt": ("position", "wo")}
FOLLOW_UP_SPARE = {"wirksam": ("from", ""), "eur/jahr": ("amount", "Höhe in"),
                   "veranschlagt": ("position", "wo")}
GRID_STOPS = ("Steuerrechtliche Prüfung", "Auswirkungen auf den Stellenplan",  # after a grid
              "Unternehmerische Tätigkeit", "Beantragte Stellenerweiterung")

GOALS = [
    "Balance zwischen Verdichtung und Freiraum",
    "Qualität im öffentlichen Raum und in der Baukultur",
    "Nachhaltige Mobilität", "Vorsorgende Klima- und Energiestrategie",
    "Erhalt und Verbesserung der Umweltqualität",
    "Quartiersnahe Kultur-, Sport- und Freiraumangebote",
    "Positive Rahmenbedingungen für qualifizierte Arbeitsplätze",
    "Attraktives Umfeld für Innovation, Gründer und Fachkräfte",
    "Vielfältige und stabile Wirtschaftsstruktur",
    "Vorsorgendes Flächen- und Liegenschaftsmanagement", "Leistungsfähige technische Infrastruktur",
    "Vernetzung von Bildung, Forschung und Wirtschaft",
    "Chancengerechtigkeit in der inklusiven Stadt", "Gemeinschaftliche Quartiersentwicklung",
    "Bezahlbares Wohnen", "Zukunftsorientierte Kita- und Schulangebote", "Lebenslanges Lernen",
    "Sichere Stadt", "Bürgerstadt", "Region", "Stadtrat", "Kommunalwirtschaft", "Verwaltung",
    "Weltoffene Stadt", "Vielfältige, lebendige Kultur- und Sportlandschaft",
    "Interdisziplinäre Wissenschaft und exzellente Forschung",
    "Attraktiver Tagungs- und Tourismusstandort", "Imageprägende Großveranstaltungen",
    "Globales Denken, lokal verantwortliches Handeln",
]
