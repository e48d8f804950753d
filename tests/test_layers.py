"""The stages of etl/ import only downwards and never in a circle (read with ast: nothing
is imported, so no import side effects). The picture is in docs/architecture.md."""

import ast
from pathlib import Path

ETL = Path(__file__).resolve().parent.parent / "etl"

# Top to bottom. A module may import its own group and any group of a lower rank; groups
# of the same rank (the stages) do not import each other. The longest prefix decides.
RANKS = [
    {"cli": ["etl.cli", "etl.cli_night", "etl.cli_options"]},
    {"harness": ["etl.demo", "etl.rehearsal", "etl.samples"]},  # sample council, test server
    {"orchestration": ["etl.nightly", "etl.db.build", "etl.dbship", "etl.prune", "etl.serve",
                       "etl.importdir"]},
    {"oparl": ["etl.oparl"],                                     # fetch -> parse -> store
     "extract": ["etl.extract", "etl.pdf.cluster", "etl.pdf.sandbox", "etl.pdf.jobs"],
     "db": ["etl.db"], "site": ["etl.site"], "statestore": ["etl.statestore"]},
    {"profiles": ["etl.profiles"]},
    {"state": ["etl.state"]},
    {"pdf": ["etl.pdf"]},
    {"base": ["etl", "etl.errors", "etl.progress", "etl.sniff", "etl.contract", "etl.references",
              "etl.oparl.parse"]},
]

# Known upward imports in files that were being changed when this test was written; each
# names its file. Remove an entry when its import is gone (the test then asks for that).
KNOWN: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = path.relative_to(ETL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def exists(name: str) -> bool:
    path = ETL.parent / name.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imports_of(path: Path) -> set[str]:
    """Every etl module this file imports, at the top or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "etl"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "etl":
                continue
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names if exists(f"{target}.{a.name}")}
    return {t for t in found if t != name}


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in sorted(ETL.rglob("*.py"))}


def place(module: str) -> tuple[int, str]:
    best = (-1, 0, "")
    for rank, groups in enumerate(RANKS):
        for group, prefixes in groups.items():
            for prefix in prefixes:
                if (module == prefix or module.startswith(prefix + ".")) and \
                        len(prefix) > best[1]:
                    best = (rank, len(prefix), group)
    assert best[0] >= 0, f"{module} has no place in RANKS: add it"
    return best[0], best[2]


def upward(edges: dict[str, set[str]]) -> set[tuple[str, str]]:
    wrong = set()
    for source, targets in edges.items():
        rank, group = place(source)
        for target in targets:
            target_rank, target_group = place(target)
            if target_group != group and target_rank <= rank:
                wrong.add((source, target))
    return wrong


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                found.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return found


def test_no_import_cycle():
    assert cycles(graph()) == []


def test_no_upward_or_sideways_import_beyond_the_known_ones():
    wrong = upward(graph())
    assert wrong - KNOWN == set(), "import only downwards (see RANKS and docs/architecture.md)"
    assert KNOWN - wrong == set(), "these are gone: remove them from KNOWN"


def test_the_checks_catch_what_they_are_for():
    edges = {"etl.oparl.files": {"etl.oparl.sync"}, "etl.oparl.sync": {"etl.oparl.files"},
             "etl.db.load": {"etl.extract", "etl.oparl.parse"}, "etl.pdf.text": {"etl.state"}}
    assert cycles(edges) == [["etl.oparl.files", "etl.oparl.sync", "etl.oparl.files"]]
    assert upward(edges) == {("etl.db.load", "etl.extract"), ("etl.pdf.text", "etl.state")}
    assert imports_of(ETL / "oparl" / "files.py") >= {"etl.oparl.store", "etl.state", "etl"}
