"""The provider registry: which backends are configured and what each can do."""
