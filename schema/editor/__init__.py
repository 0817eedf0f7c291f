"""GraphQL schema of the editor area: projects and their timeline segments."""
