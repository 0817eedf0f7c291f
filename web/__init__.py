"""The browser side: the console's static files, the self-hosted GraphiQL and Swagger UI assets, and how they are served."""
