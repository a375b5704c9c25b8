"""Annotations: the stored shape of a W3C Web Annotation, its fields and limits."""
