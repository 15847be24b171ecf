"""The windows whose property changes the X11 follower hears, and the titles it knows for them.

Someone checking a profile switches back and forth between the same two or three windows. A
title read after the window's PropertyNotify events were selected stays true until one of those
events says otherwise, so a switch back to a recent window needs no title request, and no check
of its pid either while the window manager's client list has not changed. Each request is packed
and parsed in pure Python by python-xlib, and a switch then costs one request instead of three.

When the client list changes, every heard window is let go and heard afresh when it next comes to
the front: a window id can be taken by a new window once the old one is gone (Xorg gives a new
client a closed client's ids), and the selection made on the old window died with it.

Windows behind the one in front are heard only until their first change: one that keeps
changing something while nobody looks at it (a chat window counting unread messages, a hostile
program retitling itself in a loop) is dropped at its first event and read again when it comes
to the front. So the follower's work stays bounded by what happens in front.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from Xlib import X, display

# Windows heard at once: the one in front and the last few before it.
_HEARD = 6
# A title read this long after its window was first heard is kept: the selection went out on the
# follower's event connection, the read on another, and only by then has the server surely
# processed the selection, so that any change after the read will be heard.
_HEARD_FOR_SECONDS = 0.05


class HeardWindows:
    """Selects PropertyChangeMask on recent windows and keeps the titles read since. Used by
    the follower's thread only (its connection is not shared)."""

    def __init__(
        self,
        connection: display.Display,
        *,
        client_list_kept: bool,
        on_request: Callable[[], None],
    ) -> None:
        self._connection = connection
        self._on_request = on_request  # told of each request sent (see x11_marks)
        # Without an EWMH client list, nothing says when a window id was given to a new window:
        # then no title is ever taken as known (every switch reads the window as before).
        self._client_list_kept = client_list_kept
        self._titles: OrderedDict[int, str | None] = OrderedDict()  # heard windows, oldest first
        # Heard windows read since the client list last changed: still the same window.
        self._read: set[int] = set()
        self._heard_at: dict[int, float] = {}  # when each heard window was first heard

    def hear(self, wid: int) -> None:
        """Hear window `wid`'s property changes from now on (the newest heard)."""
        if not wid:
            return
        if wid in self._titles:
            self._titles.move_to_end(wid)
        else:
            self._select(wid, X.PropertyChangeMask)
            self._titles[wid] = None
            self._heard_at[wid] = time.monotonic()
            while len(self._titles) > _HEARD:
                oldest, _title = self._titles.popitem(last=False)
                self._read.discard(oldest)
                self._heard_at.pop(oldest, None)
                self._select(oldest, X.NoEventMask)
        self._connection.flush()

    def same_window(self, wid: int) -> bool:
        """`wid` was read while heard, and no window has come or gone since."""
        return self._client_list_kept and wid in self._read

    def known_title(self, wid: int) -> str | None:
        """The title of `wid` if it was read while heard and has not changed since."""
        return self._titles.get(wid) if self.same_window(wid) else None

    def keep_title(self, wid: int, title: str, read_at: float) -> None:
        """`wid` was read with this title by a read that began at `read_at` (monotonic): kept
        if the window was heard well before (any change after the read will be heard)."""
        heard_at = self._heard_at.get(wid)
        if heard_at is not None and read_at - heard_at >= _HEARD_FOR_SECONDS:
            self._titles[wid] = title
            self._read.add(wid)

    def title_changed(self, wid: int) -> None:
        if wid in self._titles:
            self._titles[wid] = None

    def forget(self, keep_hearing: int) -> None:
        """Windows came or went: let every heard window go (an id may be another window's now)
        and hear `keep_hearing` (the window followed) afresh, its title read again."""
        self.drop_all()
        self.hear(keep_hearing)

    def drop(self, wid: int) -> None:
        """Stop hearing `wid` (a window behind the front that changed something)."""
        if wid in self._titles:
            del self._titles[wid]
            self._read.discard(wid)
            self._heard_at.pop(wid, None)
            self._select(wid, X.NoEventMask)
            self._connection.flush()

    def drop_all(self) -> None:
        for wid in list(self._titles):
            self._select(wid, X.NoEventMask)
        self._titles.clear()
        self._read.clear()
        self._heard_at.clear()
        self._connection.flush()

    def _select(self, wid: int, mask: int) -> None:
        window = self._connection.create_resource_object("window", wid)
        window.change_attributes(event_mask=mask)
        self._on_request()
