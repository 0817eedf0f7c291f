"""Platform resolvers: health and the viewer."""
