"""The help-now list as a small local page (the status icon's "Someone to talk to"): the same
lines `nudger help-now` prints, escaped, with nothing loaded from the network."""

from __future__ import annotations

import html

from nudger.core.translate import Translator


def render(t: Translator, lines: list[str]) -> str:
    title = html.escape(t._("Someone to talk to"))
    body = "\n".join(f"<p>{html.escape(line)}</p>" if line else "" for line in lines)
    return (
        f'<!doctype html>\n<html lang="{html.escape(t.language)}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        "<style>body{font:1.1rem/1.6 system-ui,sans-serif;max-width:40rem;margin:3rem auto;"
        "padding:0 1rem;color:#223;background:#fbfaf7}h1{font-weight:500;color:#2e8b87}</style>\n"
        f"</head>\n<body>\n<h1>{title}</h1>\n{body}\n</body>\n</html>\n"
    )
