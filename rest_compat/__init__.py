"""REST compatibility: one declarative table per documented API and the generator that serves them."""
