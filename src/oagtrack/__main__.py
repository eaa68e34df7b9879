"""`python -m oagtrack` runs the command-line interface."""

from .cli import run

run()
