"""Plain-text and HTML summaries of a journey (placeholder, replaced below)."""
