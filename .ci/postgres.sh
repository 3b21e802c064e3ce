#!/usr/bin/env bash
# Start a private PostgreSQL server for kyodaku's tests and print the line that
# points the tests at it:
#
#     export "$(.ci/postgres.sh)"      # start (or reuse) and export the URL
#     .ci/postgres.sh stop             # stop it again
#     .ci/postgres.sh status
#
# Why a private cluster: CI machines and developer laptops may already run a
# PostgreSQL on 5432, or none at all; tests must neither touch that one nor
# depend on its configuration. The cluster lives under $KYODAKU_PG_ROOT
# (default /tmp/kyodaku-pg), listens on 127.0.0.1:$KYODAKU_PG_PORT (default
# 55432) and a socket in the same folder, and trusts local connections: it is a
# throwaway test server, never a deployment.
#
# Idempotent: rerunning reuses the cluster and the database, and starts the
# server only when it is not running. Everything but the one line
# KYODAKU_TEST_POSTGRES_URL=... goes to stderr, so stdout can be passed to
# `export` or appended to $GITHUB_ENV.
set -euo pipefail

ROOT="${KYODAKU_PG_ROOT:-/tmp/kyodaku-pg}"
PORT="${KYODAKU_PG_PORT:-55432}"
DB="${KYODAKU_PG_DB:-kyodaku_test}"
DATA="$ROOT/data"
SOCK="$ROOT/sock"
LOG="$ROOT/server.log"

log() { echo "postgres.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

find_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir 2>/dev/null || true)"
        if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"; return 0
        fi
    fi
    # Debian keeps the server binaries out of PATH, one folder per major version.
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
        echo "$dir"; return 0
    fi
    return 1
}

install_postgres() {
    log "PostgreSQL server binaries not found; installing Debian's postgresql package"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "not root and no sudo: install 'postgresql' first"
        sudo="sudo"
    fi
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
    # Debian's package creates and starts a default cluster on 5432; we do not use it.
}

# Run a server command as an unprivileged user: initdb and postgres refuse root.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user"
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

BIN="$(find_bindir || true)"
if [ -z "$BIN" ]; then
    install_postgres
    BIN="$(find_bindir)" || die "installed postgresql but found no initdb"
fi

is_running() { as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

case "${1:-start}" in
    stop)
        if [ -f "$DATA/PG_VERSION" ] && is_running; then
            as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
        else
            log "not running"
        fi
        exit 0
        ;;
    status)
        if [ -f "$DATA/PG_VERSION" ] && is_running; then log "running on port $PORT"; exit 0; fi
        log "not running"; exit 3
        ;;
    start) ;;
    *) die "usage: $0 [start|stop|status]" ;;
esac

mkdir -p "$ROOT" "$SOCK"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$ROOT" "$SOCK"; fi
chmod 700 "$ROOT"

if [ ! -f "$DATA/PG_VERSION" ]; then
    log "initialising cluster in $DATA"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >/dev/null 2>"$ROOT/initdb.err" \
        || { cat "$ROOT/initdb.err" >&2; die "initdb failed"; }
fi

if ! is_running; then
    log "starting server on 127.0.0.1:$PORT"
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 \
        -o "-p $PORT -k $SOCK -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
        || { tail -n 20 "$LOG" >&2 || true; die "server did not start (see $LOG)"; }
fi

PSQL=("$BIN/psql" -h "$SOCK" -p "$PORT" -U postgres -X -q -t -A)
exists="$(as_owner "${PSQL[@]}" -d postgres \
    -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")"
if [ "$exists" != "1" ]; then
    log "creating database $DB"
    as_owner "${PSQL[@]}" -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
fi

echo "KYODAKU_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"
