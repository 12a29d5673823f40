"""The demo zones and the first start of a workspace."""
