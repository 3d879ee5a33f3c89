#!/usr/bin/env bash
# Starts Debian's PostgreSQL for the tests and benches and makes sure the role they use exists:
#   cairn / cairn on 127.0.0.1:5432, allowed to create databases (one throwaway database per test file).
# Idempotent; works as root on a fresh Debian 12 image (no systemd) and as a sudo-capable user.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
if ! command -v pg_lsclusters >/dev/null; then
  echo "start-postgres: Debian's 'postgresql' package is not installed (apt-get install postgresql)" >&2
  exit 1
fi
read -r VERSION CLUSTER _ < <(pg_lsclusters -h | head -n 1) || true
if [ -z "${VERSION:-}" ]; then
  VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  CLUSTER=main
  $SUDO pg_createcluster "$VERSION" "$CLUSTER"
fi
if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c && $4 == "online" { found = 1 } END { exit !found }'; then
  $SUDO pg_ctlcluster "$VERSION" "$CLUSTER" start
fi
for _ in $(seq 1 50); do
  if pg_isready -q -h 127.0.0.1 -p 5432; then break; fi
  sleep 0.2
done
pg_isready -h 127.0.0.1 -p 5432
AS_POSTGRES=(runuser -u postgres --)
if [ "$(id -u)" != "0" ]; then AS_POSTGRES=(sudo -u postgres); fi
"${AS_POSTGRES[@]}" psql -q -v ON_ERROR_STOP=1 -d postgres <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cairn') THEN
    CREATE ROLE cairn LOGIN CREATEDB PASSWORD 'cairn';
  END IF;
END $$;
SQL
echo "start-postgres: PostgreSQL $VERSION/$CLUSTER is up; tests connect as postgres://cairn:cairn@127.0.0.1:5432/postgres"
