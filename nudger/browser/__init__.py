"""The browser companion: a WebExtension (extension/), the native-messaging host the browser
starts for it (host.py), the daemon's end of the line (relay.py), and the installer that tells
each browser where the host is (install.py)."""
