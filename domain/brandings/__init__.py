"""Brandings: subtitle styles, overlays and intro/outro clips, and per-ratio variants."""
