"""Versions of one paper (Leipzig: -NF-01, -ÄA-01 …) and what changed between them."""

import difflib
import json
import re
from collections import defaultdict

_SUFFIX_ORDER = re.compile(r"(\d+)$")


def version_key(paper: dict) -> tuple:
    """The original first, then suffixes in the order they were issued."""
    suffix = paper.get("version_suffix")
    if not suffix:
        return (0, "", 0, paper.get("date") or "", paper["id"])
    number = _SUFFIX_ORDER.search(suffix)
    return (1, paper.get("date") or "", int(number.group(1)) if number else 0, suffix, paper["id"])


def word_diff(old: str, new: str) -> list[list[str]]:
    """[op, words] runs: '=' kept, '-' removed, '+' added."""
    a, b = old.split(), new.split()
    runs = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(["=", " ".join(a[i1:i2])])
            continue
        if i2 > i1:
            runs.append(["-", " ".join(a[i1:i2])])
        if j2 > j1:
            runs.append(["+", " ".join(b[j1:j2])])
    return runs


def version_role(paper: dict) -> str:
    """original, revision (Neufassung and other versions that replace the paper),
    amendment (Änderungsantrag) or standpoint (Verwaltungsstandpunkt): the last two are
    papers of their own that refer to the base paper."""
    suffix = (paper.get("version_suffix") or "").upper()
    kind = (paper.get("document_kind") or "").lower()
    if suffix.startswith(("ÄA", "AA", "AEA")) or kind == "änderungsantrag":
        return "amendment"
    if suffix.startswith("VSP") or kind == "verwaltungsstandpunkt":
        return "standpoint"
    return "original" if not suffix else "revision"


def normal_reference(reference: str | None) -> str | None:
    """How references are matched: trimmed, inner blanks removed, upper case."""
    return "".join(reference.split()).upper() or None if reference else None


def current_ids(papers: list[dict]) -> set[str]:
    """The paper that counts for each Drucksache: the newest of its original and revisions;
    every amendment and standpoint counts as a paper of its own."""
    newest: dict[str, dict] = {}
    for paper in papers:
        base = normal_reference(paper.get("base_reference"))
        if base is None or version_role(paper) in ("amendment", "standpoint"):
            newest[f"own:{paper['id']}"] = paper
        elif base not in newest or version_key(paper) > version_key(newest[base]):
            newest[base] = paper
    return {paper["id"] for paper in newest.values()}


def version_rows(papers: list[dict], texts: dict[str, dict[str, str]]) -> list[dict]:
    """paper_versions rows for every base reference, each with the diff to the previous
    version of its resolution text and of its sections: {"resolution": runs, "sections": runs}."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for paper in papers:
        if key := normal_reference(paper.get("base_reference")):
            groups[key].append(paper)
    current = current_ids(papers)
    rows = []
    for _key, group in sorted(groups.items()):
        members = sorted(group, key=version_key)
        base = members[0]["base_reference"]  # as printed, so papers.base_reference finds it
        previous: dict | None = None
        for order, paper in enumerate(members):
            diff = None
            if previous is not None:
                old, new = texts.get(previous["id"], {}), texts.get(paper["id"], {})
                diff = json.dumps({part: word_diff(old.get(part, ""), new.get(part, ""))
                                   for part in ("resolution", "sections")}, ensure_ascii=False)
            rows.append({"paper_id": paper["id"], "base_reference": base,
                         "version_suffix": paper.get("version_suffix"), "version_order": order,
                         "previous_paper_id": previous["id"] if previous else None, "diff": diff,
                         "version_role": version_role(paper),
                         "is_current": int(paper["id"] in current)})
            previous = paper
    return rows
