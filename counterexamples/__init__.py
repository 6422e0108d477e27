"""The catalogue of logged witnesses: JSON files (data) and a generated index."""
