"""Platform schema: liveness and the caller (Health, Viewer) and their root fields."""
