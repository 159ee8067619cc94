"""Importers: pure parsers (bytes in, ArticleRecord out), the one loader that writes, and the export.

text, wxr, ninjs, jsonl, feed: one parser per format, no database; sniff tells them apart; load writes;
run ties a whole import together for the import_articles command; export writes stories back out.
"""
