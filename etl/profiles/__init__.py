"""Layout profiles: each recognises its layout and fills the contract.

A profile is any module in this package that defines the same names:
    score(doc) -> float    how sure it is that the document has its layout (0..1)
    fill(doc, result)      fill the result dict in place
    FORM_MARKERS           phrases of its cover-sheet form (optional; table detection
                           leaves pages with them to the profile)
Profiles are found by scanning the package (as warn-scraper finds its scrapers): a new
city is a new module, registered nowhere. Helper modules (form.py, lines.py, amounts.py,
…) define no `score` and are not profiles. `generic` always applies and runs first; a
city profile then adds its fields.
"""

import importlib
import pkgutil
from types import ModuleType

PROFILE_NAMES = ("score", "fill")


def is_profile(module: ModuleType) -> bool:
    return all(callable(getattr(module, name, None)) for name in PROFILE_NAMES)


def discover() -> dict[str, ModuleType]:
    """Every profile module of this package by name, `generic` first."""
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if is_profile(module):
            found[info.name] = module
    return {"generic": found.pop("generic"), **found}


PROFILES = discover()


def form_markers(name: str) -> tuple[str, ...]:
    return tuple(getattr(PROFILES.get(name), "FORM_MARKERS", ()))


def choose(doc, requested: str | None = None) -> str:
    if requested:
        if requested not in PROFILES:
            known = ", ".join(sorted(PROFILES))
            raise ValueError(f"unknown profile {requested!r} (known: {known})")
        return requested
    best, best_score = "generic", 0.5
    for name, module in PROFILES.items():
        if name == "generic":
            continue
        score = module.score(doc)
        if score > best_score:
            best, best_score = name, score
    return best
