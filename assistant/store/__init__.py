"""Derived indexes over the vault: DuckDB (notes, usage, links) and LanceDB (vectors, text)."""
