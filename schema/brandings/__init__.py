"""GraphQL types for brandings, their media, subtitle styles and variants."""
