"""Layout profiles: each recognises its layout and fills the contract.

A profile is a module with the same two functions:
    score(doc) -> float    how sure it is that the document has its layout (0..1)
    fill(doc, result)      fill the result dict in place
`generic` always applies and runs first; a city profile then adds its fields.
"""

from . import generic

PROFILES = {"generic": generic}


def register(name: str, module) -> None:
    PROFILES[name] = module


def choose(doc, requested: str | None = None) -> str:
    if requested:
        if requested not in PROFILES:
            raise ValueError(f"unknown profile {requested!r} (known: {', '.join(sorted(PROFILES))})")
        return requested
    best, best_score = "generic", 0.5
    for name, module in PROFILES.items():
        if name == "generic":
            continue
        score = module.score(doc)
        if score > best_score:
            best, best_score = name, score
    return best


from . import leipzig  # noqa: E402 - registered after the registry exists

register("leipzig", leipzig)

from . import karlsruhe  # noqa: E402

register("karlsruhe", karlsruhe)
