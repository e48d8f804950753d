import hashlib
import json

from etl.samples.council import write_sample
from etl.samples.papers import generate_papers


def digest_tree(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path):
    write_sample(tmp_path / "a", seed=7, papers=6)
    write_sample(tmp_path / "b", seed=7, papers=6)
    assert digest_tree(tmp_path / "a") == digest_tree(tmp_path / "b")


def test_other_seed_other_papers():
    assert generate_papers(1, 10) != generate_papers(2, 10)


def test_sample_is_a_realistic_council(sample_dir):
    papers = [json.loads(line) for line in open(sample_dir / "oparl" / "Paper.jsonl")]
    assert len(papers) == 40
    refs = [p["reference"] for p in papers]
    assert any(r.endswith("-NF-02") for r in refs)
    assert len({p["leipzig:originator"] for p in papers}) >= 5
    committees = {c["organization"][0] for p in papers for c in p["consultation"]}
    assert len(committees) >= 5
    truth = json.loads((sample_dir / "truth.json").read_text())
    methods = {t["checkbox_method"] for t in truth.values()}
    assert methods == {"text", "glyph", "vector", "widget"}
    assert {t["form"] for t in truth.values()} == {2018, 2021}
    assert any(t["financial_impact"]["budget_lines"] for t in truth.values())


def test_pdf_pages_carry_running_furniture(sample_dir):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(sample_dir / "files" / "0001.pdf")
    total = len(pdf)
    text = pdf[0].get_textpage().get_text_range()
    assert f"1/{total}" in text and f"1 von {total} in Zusammenstellung" in text


def test_oparl_objects_validate_against_the_spec(sample_dir):
    import jsonschema

    from conftest import corpus_path

    schema_dir = corpus_path("oparl-spec", "schema")
    for otype in ("Paper", "Meeting", "Organization", "Person", "Body", "System"):
        schema_file = schema_dir / f"{otype}.json"
        if not schema_file.exists():
            continue
        schema = json.loads(schema_file.read_text())
        objects = [json.loads(line) for line in open(sample_dir / "oparl" / f"{otype}.jsonl")]
        for obj in objects:
            text = json.dumps(obj).replace("{base}", "http://127.0.0.1:1")
            errors = list(jsonschema.Draft7Validator(schema).iter_errors(json.loads(text)))
            assert not errors, f"{otype}: {errors[0].message}"


def test_sample_times_carry_berlins_offset_of_their_day(sample_dir):
    meetings = [json.loads(line) for line in open(sample_dir / "oparl" / "Meeting.jsonl")]
    offsets = {m["start"][5:7]: m["start"][-6:] for m in meetings}
    assert {offsets[month] for month in offsets if "04" <= month <= "09"} == {"+02:00"}
    assert {offsets[month] for month in offsets if month in ("01", "02", "11", "12")} == {"+01:00"}
    assert all(m["start"][11:16] == "16:00" for m in meetings)
