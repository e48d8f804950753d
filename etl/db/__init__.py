"""The published database: its shape, the loaders and the atomic build."""
