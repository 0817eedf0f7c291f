"""GraphQL types of the catalog: collections and views."""
