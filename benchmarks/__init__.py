"""Benchmarks of Rheum Evidence: ``python -m benchmarks [--quick]`` (see benchmarks/README.md)."""
