#!/bin/sh
# Dumps both databases (Redress's record and Temporal's persistence and visibility) every BACKUP_EVERY_SECONDS into
# /backups, pg_dump custom format, and deletes dumps older than BACKUP_KEEP_DAYS. Runs in the postgres image.
set -eu
dump() { # host user password database
  out="/backups/$4-$(date -u +%Y%m%dT%H%M%SZ).dump"
  PGPASSWORD="$3" pg_dump -h "$1" -U "$2" -d "$4" -Fc -f "$out.partial" && mv "$out.partial" "$out" && echo "backup: $out"
}
while true; do
  dump postgres-redress redress "$REDRESS_DB_PASSWORD" redress
  dump postgres-temporal temporal "$TEMPORAL_DB_PASSWORD" temporal
  dump postgres-temporal temporal "$TEMPORAL_DB_PASSWORD" temporal_visibility
  find /backups -name '*.dump' -mtime +"$BACKUP_KEEP_DAYS" -delete
  sleep "$BACKUP_EVERY_SECONDS"
done
