"""The full-text index of SearchEntry.text: FTS5 on SQLite, GIN on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE public_search_fts USING fts5(kind, title_folded, text, "
    "content='public_searchentry', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER public_search_ai AFTER INSERT ON public_searchentry BEGIN "
    "INSERT INTO public_search_fts(rowid, kind, title_folded, text) "
    "VALUES (new.id, new.kind, new.title_folded, new.text); END",
    "CREATE TRIGGER public_search_ad AFTER DELETE ON public_searchentry BEGIN "
    "INSERT INTO public_search_fts(public_search_fts, rowid, kind, title_folded, text) "
    "VALUES ('delete', old.id, old.kind, old.title_folded, old.text); END",
    "CREATE TRIGGER public_search_au AFTER UPDATE ON public_searchentry BEGIN "
    "INSERT INTO public_search_fts(public_search_fts, rowid, kind, title_folded, text) "
    "VALUES ('delete', old.id, old.kind, old.title_folded, old.text); "
    "INSERT INTO public_search_fts(rowid, kind, title_folded, text) "
    "VALUES (new.id, new.kind, new.title_folded, new.text); END",
]
SQLITE_REVERSE = ["DROP TRIGGER public_search_au", "DROP TRIGGER public_search_ad",
                  "DROP TRIGGER public_search_ai", "DROP TABLE public_search_fts"]
POSTGRES = ["CREATE INDEX public_search_gin ON public_searchentry "
            "USING GIN (to_tsvector('simple', text))",
            "CREATE INDEX public_search_title_gin ON public_searchentry "
            "USING GIN (to_tsvector('simple', title_folded))"]
POSTGRES_REVERSE = ["DROP INDEX public_search_title_gin", "DROP INDEX public_search_gin"]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
