"""The sample council: a deterministic generator of Leipzig-style papers (PDF + OParl).

It is the embedded default that `ratsdaten demo` serves and the project's own
source of test fixtures: every generated paper comes with its truth.
"""
