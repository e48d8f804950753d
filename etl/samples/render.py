"""Render a sample paper as a Leipzig ALLRIS cover sheet (2018 or 2021+ form).

The wording and order follow the real texts in shared/corpus/leipzig (the 2018
seed text and the 2023 papers); positions, fonts and spacing vary per paper.
"""

from datetime import date

from .canvas import Flow
from .vocabulary import ENERGY, FOLLOW_UP_ROWS, GOALS_2023, KINDS, OCCASIONS, SAME

NEIN_JA = [("nein", False), ("ja, Ergebnis siehe Anlage zur Begründung", False)]


def german_date(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else ""


def german_amount(value: float, style: str = "euro") -> str:
    """The ways amounts are written in real forms: '1.250.000,00 €', '150.000 EUR', '150 T€'."""
    def german(number: float, decimals: int) -> str:
        return f"{number:,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")

    if style == "eur" and value == int(value):
        return f"{german(value, 0)} EUR"
    if style == "teur" and value % 100 == 0:
        thousands = value / 1000
        return f"{german(thousands, 0 if thousands == int(thousands) else 1)} T€"
    if style == "tsd" and value % 100 == 0:
        thousands = value / 1000
        return f"{german(thousands, 0 if thousands == int(thousands) else 1)} Tsd. EUR"
    return f"{german(value, 2)} €"


def german_when(value: str | None, style: str) -> str:
    """A year as written: '2019', or as a date '31.12.2019' when the truth is one."""
    if not value:
        return ""
    if len(value) == 10:
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    return value


def _tri(value, yes_label="wenn ja,") -> list[tuple[str, bool]]:
    return [("nein", value is False), (yes_label, value is True)]


def render_paper(paper: dict, path) -> int:
    """Write the PDF with running lines that know the page count; returns that count."""
    pages = _render(paper, path, 1)
    return _render(paper, path, pages)


def _render(paper: dict, path, total_pages_hint: int) -> int:
    def furniture(canvas, number):
        canvas.setFont(flow.font, 8)
        canvas.drawRightString(flow.width - flow.margin, flow.height - flow.margin + 4,
                               f"{number}/{total_pages_hint}")
        canvas.drawString(flow.margin, flow.margin - 4,
                          f"{number} von {total_pages_hint} in Zusammenstellung")

    flow = Flow(path, paper["layout"], furniture)
    _write(flow, paper)
    for follower in paper.get("followers", []):  # a Sammeldokument: more documents follow
        flow.new_page()
        _write(flow, follower)
    pages = flow.page
    flow.finish()
    return pages


def _write(flow: Flow, paper: dict) -> None:
    flow.styles = paper.get("styles", {})
    _header(flow, paper)
    if paper["form"] == 2021:
        flow.new_page()
    else:  # the 2018 form runs on from the header, so its grids may break across a page
        flow.line()
        flow.line("Übereinstimmung mit strategischen Zielen:")
    _financial(flow, paper)
    _staffing(flow, paper)
    if paper["form"] == 2021:
        flow.new_page()
        _goals(flow, paper)
        if paper.get("climate_impact"):
            flow.new_page()
            _climate(flow, paper)
    flow.new_page()
    _sachverhalt(flow, paper)


def _header(flow: Flow, paper: dict) -> None:
    label = KINDS[paper["document_kind"]][0]
    flow.line(paper["body_hint"], bold=True, gap=1.6)
    flow.line(f"{label} {paper['reference']}", bold=True, gap=1.4)
    flow.line(f"Status: {paper['status']}", gap=1.4)
    flow.line("Eingereicht von:")
    flow.line(paper["submitted_by"], gap=1.4)
    flow.line("Betreff:")
    flow.paragraph(paper["title"], bold=True, width=flow.layout.get("title_width"))
    flow.line()
    flow.line("Beratungsfolge (Änderungen vorbehalten):")
    widths = [230.0, 120.0, 130.0]
    flow.grid_row(["Gremium", "Voraussichtlicher Sitzungstermin", "Zuständigkeit"], widths,
                  bold=True, rule=False)
    for row in paper["consultations"]:
        flow.grid_row([row["committee"], german_date(row["date"]), row["role"]], widths,
                      rule=False)
    flow.line()
    flow.line("Beschlussvorschlag:", bold=True)
    for item in paper["resolution_items"]:
        flow.paragraph(item["text"], hang=f"{item['number']}. ")
    if paper.get("spatial_reference"):
        flow.line()
        flow.line("Räumlicher Bezug", bold=True)
        flow.paragraph(paper["spatial_reference"])
    if paper["form"] == 2021:
        flow.line()
        flow.line("Zusammenfassung", bold=True)
        _occasion(flow, paper)


def _occasion(flow: Flow, paper: dict) -> None:
    occasion = paper.get("occasion") or {"ticked": [], "other_text": None}
    flow.line("Anlass der Vorlage:")
    flow.choice_row("", [(o, o in occasion["ticked"]) for o in OCCASIONS[:3]],
                    paper["checkbox_method"], "anlass", 1)
    other = "Sonstiges:" + (f" {occasion['other_text']}" if occasion["other_text"] else "")
    flow.choice_row("", [(other, "Sonstiges" in occasion["ticked"])], paper["checkbox_method"],
                    "anlass", 1)


def _financial(flow: Flow, paper: dict) -> None:
    fin, method = paper["financial_impact"], paper["checkbox_method"]
    flow.line("Finanzielle Auswirkungen", bold=True, gap=1.3)
    width = flow.layout.get("label_width", 250)
    flow.choice_row("Finanzielle Auswirkungen", _tri(fin["has_financial_impact"]), method,
                    "fin", width)
    flow.choice_row("Kostengünstigere Alternativen geprüft",
                    _tri(fin["cheaper_alternatives_checked"],
                         "ja, Ergebnis siehe Anlage zur Begründung"), method, "alt", width)
    flow.choice_row("Folgen bei Ablehnung", _tri(fin["consequences_of_rejection"],
                    "ja, Erläuterung siehe Anlage zur Begründung"), method, "folgen", width)
    flow.choice_row("Handelt es sich um eine Investition (damit aktivierungspflichtig)?",
                    _tri(fin["is_investment"], "ja, Erläuterung siehe Anlage zur Begründung"),
                    method, "invest", width)
    flow.line()
    _budget_grid(flow, fin)
    flow.choice_row("Entstehen Folgekosten oder Einsparungen?",
                    _tri(fin["has_follow_up_costs"], "wenn ja, nachfolgend angegeben"),
                    method, "folgekosten", width)
    _follow_up_grid(flow, fin, method)
    if paper["form"] == 2021:
        flow.choice_row("Steuerrechtliche Prüfung", _tri(fin["tax_review"], "wenn ja"),
                        method, "steuer", width)
        tax = fin.get("tax_details") or {}
        flow.choice_row("Unternehmerische Tätigkeit i.S.d. §§ 2 Abs. 1 und 2B UStG",
                        _tri(tax.get("entrepreneurial_activity"),
                             "ja, Erläuterung siehe Punkt 4 des Sachverhalts"), method, "ust1",
                        width)
        flow.choice_row("Umsatzsteuerpflicht der Leistung", _tri(
            tax.get("vat_liable"), "ja, Erläuterung siehe Anlage zur Begründung"), method,
            "ust2", width)
        clause = tax.get("vat_clause_in_contracts")
        flow.choice_row("Bei Verträgen: Umsatzsteuerklausel aufgenommen",
                        [("ja", clause is True), ("nein, Erläuterung siehe Anlage zur "
                                                  "Begründung", clause is False)],
                        method, "ust3", width)


def _widths(flow: Flow, widths: list[float]) -> list[float]:
    scale, jitter = flow.layout.get("grid_scale", 1.0), flow.layout.get("grid_jitter")
    if jitter:
        widths = [w * j for w, j in zip(widths, jitter, strict=False)]
    return [w * scale for w in widths]


def _budget_grid(flow: Flow, fin: dict) -> None:
    widths = _widths(flow, [95, 80, 57, 57, 84, 112])
    flow.grid_row(["Im Haushalt wirksam", "", "von", "bis", "Höhe in EUR", "wo veranschlagt"],
                  widths, bold=True)
    lines = {(ln["budget"], ln["kind"]): ln for ln in fin["budget_lines"]}
    for budget, kind in [("Ergebnishaushalt", "Erträge"), ("Ergebnishaushalt", "Aufwendungen"),
                         ("Finanzhaushalt", "Einzahlungen"), ("Finanzhaushalt", "Auszahlungen")]:
        ln = lines.get((budget, kind))
        cells = [budget if kind in ("Erträge", "Einzahlungen") else "", kind]
        style = flow.styles.get("amount", "euro")
        cells += [german_when(ln["from"], style), german_when(ln["to"], style),
                  german_amount(ln["amount_eur"], style),
                  ln["budget_position"]] if ln else ["", "", "", ""]
        flow.grid_row(cells, widths)


def _follow_up_grid(flow: Flow, fin: dict, method: str) -> None:
    in_grid = flow.layout.get("kind_columns") == "grid"
    lines = {(ln["scope"], ln["item"]): ln for ln in fin["follow_up_lines"]}
    style = flow.styles.get("amount", "euro")
    if in_grid:  # the kind of each row is a tick in the 'Folgekosten' or 'Einsparungen' column
        widths = _widths(flow, [88, 100, 62, 66, 50, 34, 70, 60])
        flow.grid_row(["", "", "Folgekosten", "Einsparungen", "wirksam von", "bis",
                       "Höhe in EUR/Jahr", "wo veranschlagt"], widths, bold=True)
    else:
        widths = _widths(flow, [110, 115, 55, 40, 90, 70])
        kinds = {ln["kind"] for ln in fin["follow_up_lines"]}
        flow.choice_row("", [("Folgekosten", "Folgekosten" in kinds),
                             ("Einsparungen", "Einsparungen" in kinds)], method, "fk_art", 1)
        flow.grid_row(["", "", "wirksam von", "bis", "Höhe in EUR/Jahr", "wo veranschlagt"],
                      widths, bold=True)
    for scope, items in FOLLOW_UP_ROWS:
        for i, item in enumerate(items):
            ln = lines.get((scope, item))
            cells: list = [scope if i == 0 else "", item]
            if in_grid:
                kind = ln["kind"] if ln else None
                cells += [(None, kind == "Folgekosten"), (None, kind == "Einsparungen")]
            cells += [german_when(ln["from"], style), german_when(ln["to"], style),
                      german_amount(ln["amount_eur_per_year"], style),
                      ln["budget_position"] or ""] if ln else ["", "", "", ""]
            flow.grid_row(cells, widths, method=method, name="fk")


def _staffing(flow: Flow, paper: dict) -> None:
    staff, method = paper["staffing"], paper["checkbox_method"]
    width = flow.layout.get("label_width", 250)
    flow.line()
    flow.choice_row("Auswirkungen auf den Stellenplan",
                    _tri(staff["has_staffing_impact"], "wenn ja, nachfolgend angegeben"),
                    method, "stellen", width)
    for label, key in (("Beantragte Stellenerweiterung:", "positions_added"),
                       ("Vorgesehener Stellenabbau:", "positions_removed")):
        if "value_width" in flow.layout:  # label and value in cells: a long value wraps
            label_width = flow.width_of(label) + 8
            flow.grid_row([label, staff[key] or ""], [label_width, flow.layout["value_width"]],
                          rule=False)
        else:
            flow.line(f"{label} {staff[key] or ''}".strip())
    flow.choice_row("Beteiligung Personalrat", [("nein", staff["staff_council_involved"] is False),
                    ("ja", staff["staff_council_involved"] is True)], method, "personalrat", width)


def _climate(flow: Flow, paper: dict) -> None:
    impact, method = paper["climate_impact"], paper["checkbox_method"]
    width = flow.layout.get("label_width", 200)
    flow.line("Klimawirkung", bold=True, gap=1.3)
    flow.line("Klimawirkung durch den Beschluss der Vorlage")
    flow.paragraph("Stufe 1: Grobe Einordnung zur Klimawirkung (Klimaschutzes und zur "
                   "–wandelanpassung)")
    rows = [("Eingesetzte Energieträger (Strom, Wärme, Brennstoff)", "energy_sources", ENERGY),
            ("Reduziert bestehenden Energie-/Ressourcenverbrauch", "reduces_consumption", SAME),
            ("Speichert CO2-Emissionen (u.a. Baumpflanzungen)", "stores_co2", SAME),
            ("Mindert die Auswirkungen des Klimawandels (u. a. Entsiegelung, "
             "Regenwassermanagement)", "mitigates_climate_effects", SAME)]
    for label, key, options in rows:
        flow.choice_row(label, [(o, impact[key] == o) for o in options], method, key, width)
    flow.choice_row("Abschätzbare Klimawirkung mit erheblicher Relevanz",
                    [("ja, da Beschlussgremium RV, GVA, oder VA und mind. 5 Jahre Betriebs- und "
                      "Nutzungsdauer", impact["significant_relevance"] is True),
                     ("nein", impact["significant_relevance"] is False)], method, "relevanz",
                    width)
    flow.choice_row("Vorlage hat keine abschätzbare Klimawirkung",
                    [("ja (Prüfschema endet hier.)", impact["no_assessable_impact"] is True)],
                    method, "keine", width)
    flow.line()
    flow.paragraph("Stufe 2: Die Vorlage berücksichtigt die zentralen energie- und "
                   "klimapolitischen Beschlüsse (s. leipzig.de)")
    flow.choice_row("", [("ja", impact["considers_climate_decisions"] == "ja"),
                         ("nein (Begründung s. Abwägungsprozess)",
                          impact["considers_climate_decisions"] == "nein"),
                         ("nicht berührt (Prüfschema endet hier.)",
                          impact["considers_climate_decisions"] == "nicht berührt")],
                    method, "stufe2", 1)
    flow.line()
    flow.paragraph("Stufe 3: Detaillierte Darstellung zur abschätzbaren Klimawirkung nur bei "
                   "erheblicher Relevanz")
    blank = "____________________"
    flow.line(f"Berechnete THG-Emissionen (in t bzw. t./a): {impact['ghg_emissions'] or blank}")
    flow.line(f"liegt vor: s. Anlage/Kapitel der Vorlage: {impact['documented_in'] or blank}")
    flow.line(f"wird vorgelegt mit: {impact['submitted_with'] or blank}")


def _goals(flow: Flow, paper: dict) -> None:
    method = paper["checkbox_method"]
    flow.line("Ziele", bold=True, gap=1.3)
    flow.line("Hintergrund zum Beschlussvorschlag:")
    flow.line("Welche strategischen Ziele werden mit der Maßnahme unterstützt?", gap=1.4)
    flow.line("2030 – Leipzig wächst nachhaltig!", bold=True, gap=1.4)
    for goal in GOALS_2023:
        flow.choice_row("", [(goal, goal in paper["strategic_goals"])], method, "ziel", 1)
    flow.choice_row("", [("Trifft nicht zu", not paper["strategic_goals"])], method, "ziel", 1)


def _sachverhalt(flow: Flow, paper: dict) -> None:
    flow.line("Sachverhalt:", bold=True)
    flow.paragraph(paper["sachverhalt"])
    flow.line()
    flow.line("Anlagen:", bold=True)
    for i, name in enumerate(paper["attachments_listed"], 1):
        flow.line(f"{i}. {name}")
