"""Video clips: requests validated all or nothing, render plans, and their downloads."""
