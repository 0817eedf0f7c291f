"""GraphQL types for clips, their downloads and exports, and external storages."""
