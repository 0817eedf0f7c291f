"""Storage tombstones: objects whose rows are gone, removed from storage by the reconciler after commit."""
