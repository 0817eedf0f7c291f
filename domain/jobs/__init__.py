"""Jobs: the one record of asynchronous work, its lifecycle and its events."""
