"""The pure core: plan text in, model, queries and positioned problems out.

Knows nothing of terminals, Rich or Typer.
"""
