"""The workspace on PostgreSQL/PostGIS for an office that shares one batch (pure Python + psycopg2)."""
