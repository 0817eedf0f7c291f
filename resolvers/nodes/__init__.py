"""Resolvers of the node area: refetching any object by its id."""
