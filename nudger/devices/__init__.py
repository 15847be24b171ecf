"""The synced folder shared by the person's devices (issue 35): this device's setting, the
folder's salt, this device's own file, and reading the others' files as untrusted input."""
