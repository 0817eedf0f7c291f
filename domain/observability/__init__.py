"""Operating the service: health checks, Prometheus metrics, structured logs and the request id they share."""
