"""The search service: hybrid ranking, the JSON API and the researchers' web UI."""
