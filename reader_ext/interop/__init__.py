"""Interop: W3C Web Annotation JSON-LD, CSV and DataFrames."""
