"""Words of a Leipzig-like council, written after the real texts in shared/corpus/leipzig."""

SUBMITTERS_FACTIONS = [
    "Fraktion Bündnis 90/Die Grünen", "Fraktion DIE LINKE", "CDU-Fraktion", "SPD-Fraktion",
    "Fraktion Freibeuter", "AfD-Fraktion",
]
SUBMITTERS_ADMIN = [
    "Oberbürgermeister", "Dezernat Allgemeine Verwaltung", "Dezernat Finanzen",
    "Dezernat Stadtentwicklung und Bau", "Dezernat Jugend, Schule und Demokratie",
    "Dezernat Soziales, Gesundheit und Vielfalt", "Dezernat Umwelt, Klima und Sport",
]
COMMITTEES = [
    ("Ratsversammlung", "RV"), ("FA Finanzen", "FA Fin"),
    ("FA Allgemeine Verwaltung", "FA AV"), ("FA Stadtentwicklung und Bau", "FA SB"),
    ("FA Soziales, Gesundheit und Vielfalt", "FA SGV"), ("FA Umwelt, Klima und Ordnung", "FA UKO"),
    ("Jugendhilfeausschuss", "JHA"), ("Dienstberatung des Oberbürgermeisters", "DB OBM"),
    ("Stadtbezirksbeirat Leipzig-Mitte", "SBB Mitte"),
]
ROLES = ["Vorberatung", "Bestätigung", "Beschlussfassung", "Information zur Kenntnis"]
TOPICS = [
    ("Weiterentwicklung der Strategischen Sozialplanung", "Sozialplanung"),
    ("Sanierung der Turnhalle der 94. Schule", "Schulbau"),
    ("Einrichtung einer Fahrradstraße in der Karl-Heine-Straße", "Radverkehr"),
    ("Förderung von Balkonkraftwerken für Mieterinnen und Mieter", "Klimaschutz"),
    ("Wahl der Schöffen und ehrenamtlichen Richter für die Jahre 2024 bis 2028", "Schöffenwahl"),
    ("Baubeschluss Ersatzneubau Brücke über die Weiße Elster", "Brückenbau"),
    ("Kostenfreies Schulessen an Grundschulen prüfen", "Schulessen"),
    ("Sicherung des Clubkulturstandorts Distillery", "Kultur"),
    ("Erweiterung des Stellenplans im Ordnungsamt", "Ordnungsamt"),
    ("Aufstellung des Bebauungsplans Nr. 417 \u201eWohnen am Lindenauer Hafen\u201c",
     "Bebauungsplan"),
    ("Zuschuss an den Verein Leipziger Tafel e. V.", "Tafel"),
    ("Mehr Trinkwasserbrunnen im öffentlichen Raum", "Trinkwasser"),
    ("Verlängerung der Straßenbahnlinie 16", "Straßenbahn"),
    ("Einführung eines Bürgerhaushalts", "Bürgerhaushalt"),
]
EXTRA_TOPICS = [  # randomised papers only: the house sample keeps its titles
    ("Bau- und Finanzierungsbeschluss Ersatzneubau Grundschule Mockau", "Schulneubau"),
    ("Kinder- und Jugendförderplan der Stadt Leipzig 2024 bis 2026", "Jugendförderung"),
    ("Satzung über die Erhebung von Gebühren gemäß § 79 SächsGemO", "Gebührensatzung"),
]
RESOLUTION_OPENINGS = [
    "Der Oberbürgermeister wird beauftragt, bis zum {date} ein Konzept zum Thema {topic} "
    "vorzulegen.",
    "Die Ratsversammlung beschließt die Maßnahme \u201e{topic}\u201c in der vorgelegten Fassung.",
    "Die Verwaltung prüft, wie das Vorhaben \u201e{topic}\u201c im Doppelhaushalt {year}/{year2} "
    "berücksichtigt werden kann, und berichtet dem Fachausschuss.",
    "Die für das Vorhaben \u201e{topic}\u201c notwendigen personellen und finanziellen Mittel "
    "sind im Haushalt {year} einzuplanen.",
    "Die Ratsversammlung nimmt den Bericht zum Thema {topic} zur Kenntnis.",
]
SACHVERHALT = [
    "Die Stadt Leipzig wächst seit Jahren. Gerade die quantitative und qualitative "
    "Ausgestaltung der real zur Verfügung stehenden Angebote ist in der wachsenden Stadt zu "
    "hinterfragen und der aktuellen und künftigen Bedarfslage anzupassen.",
    "Mit der Vorlage soll das Vorhaben \u201e{topic}\u201c beschlossen werden. Die Maßnahme "
    "wurde mit den beteiligten Ämtern abgestimmt; die Ergebnisse der Bürgerbeteiligung sind "
    "eingeflossen.",
    "Ohne zusätzliche personelle und finanzielle Ressourcen würden andere begonnene Prozesse "
    "behindert werden. Die Kosten sind im Finanzhaushalt veranschlagt.",
    "Aufgrund der guten Erfahrungen der in diesem Jahr durchgeführten Strategiekonferenz soll "
    "in ähnlichem Format im nächsten Jahr ein Fachtag durchgeführt werden.",
]
BUDGET_POSITIONS = ["PSP 1.100.31.5.0.01", "PSP 7.0000986.700", "1.100.11.1.1.01",
                    "PSP 7.0001734.705.100", "Sachkonto 42710000"]
GOALS_2023 = [
    "Balance zwischen Verdichtung und Freiraum", "Qualität im öffentlichen Raum und in der "
    "Baukultur", "Nachhaltige Mobilität", "Vorsorgende Klima- und Energiestrategie",
    "Erhalt und Verbesserung der Umweltqualität", "Chancengerechtigkeit in der inklusiven "
    "Stadt", "Bezahlbares Wohnen", "Zukunftsorientierte Kita- und Schulangebote",
    "Sichere Stadt", "Positive Rahmenbedingungen für qualifizierte Arbeitsplätze",
    "Leistungsfähige technische Infrastruktur", "Vielfältige, lebendige Kultur- und "
    "Sportlandschaft",
]
KINDS = {  # document kind -> label printed before the number, reference type letter
    "Antrag": ("Antrag-Nr.", "A"),
    "Beschlussvorlage": ("Beschlussvorlage-Nr.", "DS"),
    "Informationsvorlage": ("Informationsvorlage-Nr.", "Ifo"),
    "Neufassung": ("Neufassung Nr.", "A"),
    "Änderungsantrag": ("Änderungsantrag Nr.", "A"),
    "Verwaltungsstandpunkt": ("Verwaltungsstandpunkt Nr.", "A"),
}
ATTACHMENTS = ["Lageplan", "Kostenaufstellung", "Stellungnahme des Stadtbezirksbeirats",
               "Präsentation", "Satzungstext"]
FOLLOW_UP_ROWS = [("Zu Lasten anderer OE", ["Ergeb. HH Erträge", "Ergeb. HH Aufwand"]),
                  ("Nach Durchführung der Maßnahme zu erwarten",
                   ["Ergeb. HH Erträge", "Ergeb. HH Aufwand (ohne Abschreibungen)",
                    "Ergeb. HH Aufwand aus jährl. Abschreibungen"])]
POSITIONS = ["1,0 VzÄ EG 11 (Sozialplanung)", "2 VzÄ Sachbearbeitung (EG 9b)",
             "0,5 VzÄ EG 13 (Klimaschutzmanagement im Amt für Umweltschutz)"]
OCCASIONS = ["Rechtliche Vorschriften", "Stadtratsbeschluss", "Verwaltungshandeln", "Sonstiges"]
ENERGY = ["keine / Aussage nicht möglich", "erneuerbar", "fossil"]
SAME = ["Aussage nicht möglich", "ja", "nein"]
CLIMATE_DECISIONS = ["ja", "nein", "nicht berührt"]
