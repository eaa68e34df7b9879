"""oagtrack: follow an audit's Management Action Plan kept in one YAML file."""

__version__ = "0.1.0"
