"""Mediagraph's domain: models, services, job lifecycle, ports. Imports no outer layer."""
