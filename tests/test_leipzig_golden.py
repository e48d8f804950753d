"""Golden tests: a few generated Leipzig PDFs per form generation and their exact JSON.

The expected files are written by this module from the reader's own output and then
reviewed (`UPDATE_GOLDEN=1 pytest tests/test_leipzig_golden.py` rewrites them); every one
is also checked field by field against the generator's truth, so a golden file cannot
freeze a wrong value.
"""

import json
import os
from pathlib import Path

import pytest

from etl.extract import extract_bytes
from etl.samples.papers import generate_papers
from etl.samples.render import render_paper
from etl.samples.score import score

GOLDEN = Path(__file__).parent / "data" / "leipzig_golden"
KEYS = ("paper", "consultations", "resolution_items", "financial_impact", "staffing",
        "occasion", "climate_impact", "strategic_goals", "attachments_listed")
CASES = {  # name: (seed, index, randomised)
    "form2018_house": (2018, 7, False), "form2018_randomised": (41, 9, True),
    "form2021_house": (2018, 0, False), "form2021_house_b": (2018, 1, False),
    "form2021_randomised": (41, 0, True), "form2021_randomised_b": (41, 1, True),
}


def _paper(seed, index, randomised):
    return generate_papers(seed, index + 1, randomised=randomised)[index]


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name, tmp_path):
    paper = _paper(*CASES[name])
    path = tmp_path / f"{name}.pdf"
    render_paper(paper, path)
    result = extract_bytes(path.read_bytes())
    got = {key: result[key] for key in KEYS}
    got["warnings"] = result["file"]["warnings"]
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    assert str(paper["form"]) in name
    assert all(score(result, paper).values()), [k for k, ok in score(result, paper).items()
                                                if not ok]
    assert got == json.loads(golden.read_text())
