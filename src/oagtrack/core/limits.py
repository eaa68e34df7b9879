"""Limits shared by the reader and the file store, in a module of their own so the store needs no YAML."""

#: The largest plan file read, in bytes. The 100,000-action benchmark plan
#: is about 75 MB; anything beyond this is refused before parsing.
MAX_BYTES = 128 * 1024 * 1024
