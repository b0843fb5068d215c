"""Materials the notice asks units to send beside their tables: photos, stage summaries, videos.

`intake` sorts received files (archives opened), `detect` says what a file is by its
bytes, `photos`/`documents` read what is needed from each, `attribution` places it
(reporting unit, round), `table` builds materials.csv with duplicates marked.
"""
