"""The catalog around assets: collections (with a default template) and saved filter views."""
