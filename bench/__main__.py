"""Runs the named benchmarks (all when none is named): python -m bench [dispatch_latency upload_throughput ...]."""
import importlib
import sys

ALL = ["dispatch_latency", "upload_throughput", "rest_overhead", "transcription", "translation", "analysis", "clips",
       "editor_export", "languages"]
ALL += ["search"]

for name in sys.argv[1:] or ALL:
    importlib.import_module(f"bench.{name}").main()
