"""Renderers: query results in, terminal tables or files out; none reads YAML."""
