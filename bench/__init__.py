"""Benchmarks: `make bench` runs them all; results go to data/bench/ and BENCHMARKS.md."""
