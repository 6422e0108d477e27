"""Exact reference implementations of the solution concepts (SPEC §3)."""
