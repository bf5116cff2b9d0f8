"""Monthly reporting (月清): stages and snapshots, the city's feedback, town statistics,
Excel workbooks and spot-check samples. No Qt.

- :mod:`.periods` — month / quarter / year periods and the reporting deadlines;
- :mod:`.stages` — 核查中 → 一上 → 一下 → 二上 → 锁定 transitions, submission with quality check;
- :mod:`.snapshot` — the reproducible export frozen at each submission (content + SHA-256);
- :mod:`.tables` and :mod:`.feedback` — reading the city's returned problem list;
- :mod:`.facts`, :mod:`.statistics`, :mod:`.ranking` — per-town figures, thresholds, 约谈 ranking;
- :mod:`.excel` — workbooks handed in as they are; :mod:`.sampling` — seeded 抽查 samples.
"""
