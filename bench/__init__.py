"""Benchmarks run by hand (`make bench` or `python -m bench NAME`); each prints a table for the README."""
