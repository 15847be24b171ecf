"""The shell: gathers observations from the world and carries out the core's decisions
(the daemon and its parts: watcher, coach, companion, evening, recorder, history, ...)."""
