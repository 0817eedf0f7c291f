"""Runs the named benchmarks (all when none is named) and regenerates the README's tables from what they printed.

python -m bench [name ...]   run, record in bench/results.json, rewrite the README's `<!-- bench:name -->` blocks
python -m bench --readme     only rewrite the README from the recorded results"""
import importlib
import os
import sys

from bench import common, report

ALL = ["dispatch_latency", "upload_throughput", "rest_overhead", "transcription", "translation", "analysis", "clips",
       "editor_export", "languages"]
ALL += ["search"]
ALL += ["subscriptions"]
ALL += ["probe_throughput"]
ALL += ["reliability"]


def main(argv: list[str]) -> None:
    if argv != ["--readme"]:
        for name in argv or ALL:
            before, first = os.getloadavg(), len(common.RESULTS)
            common.CURRENT["bench"] = name
            importlib.import_module(f"bench.{name}").main()
            report.record(name, common.RESULTS[first:], before, os.getloadavg())
    untouched = report.update_readme()
    if untouched:
        print(f"\nREADME blocks with no recorded results yet: {', '.join(untouched)}")


main(sys.argv[1:])
