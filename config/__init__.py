"""Built-in configuration shipped inside the wheel: nudger.toml, sites.toml, messages.toml."""
