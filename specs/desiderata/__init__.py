"""Desiderata (SPEC §4) as first-class objects with exact checkers."""
