"""Private helpers shared by the stages: atomic writes, strict YAML and validation
messages, value coercions and document-preserving chunking. Not a public API."""
