"""Command groups; importing a module registers its commands on the app."""
