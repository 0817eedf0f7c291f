"""GraphQL types for assets, stored files and audio tracks."""
