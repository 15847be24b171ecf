"""The pure core: every rule of nudger, once.

What a visit is and when it ends, how a window is matched, when and what to nudge, how a day is
counted and what a summary says. Values in, values out: nothing here reads a file, a clock or
the desktop, and nothing here imports anything of nudger outside this package except the
settings models (tests/core/test_purity.py checks). Time comes in as an argument.
"""
