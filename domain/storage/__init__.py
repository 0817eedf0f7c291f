"""Storage adapters behind the Storage port: local files with signed URLs, or S3."""
