"""Benchmarks: a synthetic back catalogue and the build-time comparison with vanilla Pelican."""
