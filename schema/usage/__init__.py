"""GraphQL types of usage: monthly sums of the usage records jobs write."""
