"""A form described as data: questions with their option lists, read by bands.py.

A city's form is a list of `Question`s (plus its grids and goal lists, which the
city module describes beside them); the reader needs no line numbers or layouts.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    label: str     # as printed; its first word finds it, the rest tells where it ends
    value: object  # True/False for a tri-state question, the label itself for a choice


@dataclass(frozen=True)
class Question:
    field: str                  # dotted path into the result, e.g. "staffing.has_staffing_impact"
    label: str                  # the question as printed, wherever its lines break
    options: tuple[Option, ...]
    kind: str = "tristate"      # tristate | choice (one ticked label) | list (all ticked labels)


def tristate(field: str, label: str, yes: str = "ja", no: str = "nein",
             yes_first: bool = False) -> Question:
    options = (Option(yes, True), Option(no, False))
    return Question(field, label, options if yes_first else options[::-1])


def choice(field: str, label: str, options: list[str], kind: str = "choice") -> Question:
    return Question(field, label, tuple(Option(o, o) for o in options), kind)
