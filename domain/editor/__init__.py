"""The editor area: projects, their timeline of segments, generated variants and the renders between them."""
