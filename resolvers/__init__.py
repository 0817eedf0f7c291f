"""Resolvers: thin functions that read the request context, call a domain service and return."""
