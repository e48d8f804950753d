import pytest

from etl.serve import datasette_instance


@pytest.fixture(scope="module")
def ds(demo_db):
    return datasette_instance(demo_db)


@pytest.mark.asyncio
async def test_home_page_lists_the_database(ds):
    response = await ds.client.get("/")
    assert response.status_code == 200
    assert "ratsdaten" in response.text
    assert "Deckblatt als Daten" in response.text


@pytest.mark.asyncio
async def test_sample_papers_are_browsable(ds):
    response = await ds.client.get("/ratsdaten/papers.json?_shape=array&_size=100")
    assert response.status_code == 200
    papers = response.json()
    assert len(papers) == 40
    assert {p["body_id"] for p in papers} == {"beispielrat"}
    assert any(p["reference"].endswith("-NF-02") for p in papers)
    assert all(p["submitted_by"] for p in papers)
    page = await ds.client.get("/ratsdaten/papers")
    assert page.status_code == 200 and "Vorlagen und Anträge" in page.text


@pytest.mark.asyncio
async def test_full_text_search_finds_german_words(ds):
    response = await ds.client.get(
        "/ratsdaten/pages.json?_search=kostengünstigere&_shape=array&_col=file_id&_size=max")
    assert response.status_code == 200
    assert len({r["file_id"] for r in response.json()}) == 40


@pytest.mark.asyncio
async def test_csv_export_works(ds):
    response = await ds.client.get("/ratsdaten/papers.csv?_stream=on")
    assert response.status_code == 200
    lines = response.text.strip().splitlines()
    assert lines[0].startswith("id,body_id,reference")
    assert len(lines) == 41
