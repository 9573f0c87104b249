"""Labelled corpora of websites for the kit check, served on loopback (tests and benchmarks).

- :mod:`.synthetic`: logos drawn from one family of shapes, one site per case, any seed;
- :mod:`.artwork`: real artwork from packages (brand icons, line icons, wordmarks set in Debian
  fonts, photographs), fourteen designs of seven kinds, each shown and not shown many ways;
- :mod:`.server`: :class:`Site`, :class:`Corpus` and the loopback :class:`CorpusServer`.
"""
