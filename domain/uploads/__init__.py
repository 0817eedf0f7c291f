"""Storage abuse limits: the per-tenant byte quota and the sweeping of abandoned uploads."""
