"""Any tenant object by its id alone, for the GraphQL `node`/`nodes` refetch fields."""
