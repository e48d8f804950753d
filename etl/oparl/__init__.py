"""OParl: fetching (network), parsing (pure) and storing (state.db) kept apart."""
