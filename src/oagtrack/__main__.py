"""`python -m oagtrack` runs the command-line interface."""

from .cli import main

main()
