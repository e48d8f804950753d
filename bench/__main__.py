"""`make bench`: every benchmark in one run; JSON and a Markdown table under data/bench/.

    python -m bench [name ...]     (names: text form ocr ocr_scale karlsruhe city search
                                    serving scaling money)
"""

import json
import sys
import time

from . import (
    city_scale,
    form_extraction,
    karlsruhe_coverage,
    money_coverage,
    ocr,
    ocr_scale,
    scaling,
    search,
    serving,
    text_extraction,
)
from .common import OUT, save

BENCHMARKS = {"text": text_extraction.run, "form": form_extraction.run, "ocr": ocr.run,
              "ocr_scale": ocr_scale.run,
              "karlsruhe": lambda: save("karlsruhe_coverage", karlsruhe_coverage.run()),
              "city": city_scale.run, "search": search.run, "serving": serving.run,
              "scaling": scaling.run,
              "money": money_coverage.bench}


def main(names: list[str]) -> None:
    results = {}
    for name in names or list(BENCHMARKS):
        started = time.monotonic()
        print(f"bench {name} …", file=sys.stderr, flush=True)
        try:
            results[name] = BENCHMARKS[name]()
        except SystemExit as skip:
            results[name] = {"skipped": str(skip)}
        print(f"bench {name}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    lines = ["| benchmark | result |", "|---|---|"]
    for name, result in results.items():
        lines.append(f"| {name} | `{json.dumps(result, ensure_ascii=False)[:400]}` |")
    (OUT / "results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
