"""Sentences for people that more than one edge needs, in English and Chinese, without Qt.

The core says what happened as ids and values; the window (through Qt's translator) and the
command line (which must start fast, without Qt) turn them into sentences. Sentences both of
them need live here once: the comments of the code listings and exported scripts
(``comments``), the wording of configuration errors (``errors``), and how the command line
picks its language (``language``).
"""
