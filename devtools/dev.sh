#!/usr/bin/env bash
# Developer tooling for the hr_school_performance Odoo 19.0 addon.
# Called by the Makefile; usage: devtools/dev.sh {demo|test|lint|pytest [DB] [args]|bench [DB]|pot|deps|db|stop|clean}
#
# Database server: a private PostgreSQL cluster of this checkout (initialised and
# started on demand, 127.0.0.1 only, trust auth) unless one of
# PGHOST / PGPORT / PGUSER / PGPASSWORD is set, in which case that server is used.
# The cluster lives in .build/ ; as root it runs as the OS user 'postgres' and lives
# in a postgres-owned folder outside the checkout (recorded in .build/pg_cluster_dir),
# so that a checkout under a folder 'postgres' cannot traverse (mktemp -d, a 0700
# home) works without loosening any permission. Its port is chosen free at the first
# start and remembered in .build/pg_port.
#
# Environment knobs (all optional):
#   HSP_PG_PORT   port of the private cluster (default: the remembered one, else a free one)
#   HSP_PG_BIN    PostgreSQL binaries dir (default: /usr/lib/postgresql/<newest>/bin or pg_config)
#   DEMO_DB       demo database name (hsp_demo)        DEMO_PORT  demo HTTP port (8069)
#   ADDON_DIR     addon source dir to use instead of the repo root (tooling self-tests)
#   PYTHON        python interpreter with Odoo 19.0 importable (python3)
#   TEST_TAGS     make test: run only these Odoo test tags (default: every test of the addon),
#                 e.g. TEST_TAGS=/hr_school_performance:TestDeadlines; SKIP_LINT=1 skips linters
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ADDON_NAME="hr_school_performance"
ADDON_DIR="$(cd "${ADDON_DIR:-$ROOT}" && pwd)"
BUILD="$ROOT/.build"
ADDONS_LINK_DIR="$BUILD/addons"
ODOO_CONF="$BUILD/odoo.conf"
LOG_DIR="$BUILD/logs"
DATA_DIR="$BUILD/data"
PG_PORT_FILE="$BUILD/pg_port"              # remembered port of the private cluster
PG_CLUSTER_DIR_FILE="$BUILD/pg_cluster_dir" # where the cluster lives, when not in .build/
PG_PORT="${HSP_PG_PORT:-}"                  # set by ensure_db_server
PG_ROLE="odoo"            # bootstrap superuser of the private cluster (Odoo refuses 'postgres')
DEMO_DB="${DEMO_DB:-hsp_demo}"
DEMO_PORT="${DEMO_PORT:-8069}"
PYTHON="${PYTHON:-python3}"

# A real server is used when any standard libpq variable is set.
if [[ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}${PGPASSWORD:-}" ]]; then
    PG_MODE="external"
else
    PG_MODE="private"
fi

say() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# Where the private cluster's data, socket and log live (PG_STATE_DIR):
# - the folder recorded in .build/pg_cluster_dir, if any;
# - .build/ itself when not root, or for a cluster initialised there before;
# - as root: a folder owned by 'postgres' outside the checkout, keyed by the checkout's
#   path (the 'postgres' user may not be able to traverse the checkout's parents).
pg_outside_state_dir() {
    local base home key name
    home="$(getent passwd postgres | cut -d: -f6)"
    if [[ -n "$home" && -d "$home" && ! -L "$home" && "$(stat -c %U "$home")" == "postgres" ]]; then
        base="$home/$ADDON_NAME-clusters"
    else
        base="/var/tmp/$ADDON_NAME-clusters"
    fi
    key="$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
    name="$(basename "$ROOT")"
    echo "$base/${name//[^A-Za-z0-9._-]/_}-$key"
}

resolve_pg_state_dir() {
    if [[ -s "$PG_CLUSTER_DIR_FILE" ]]; then
        cat "$PG_CLUSTER_DIR_FILE"
    elif ! is_root || [[ -f "$BUILD/pgdata/PG_VERSION" ]]; then
        echo "$BUILD"
    else
        pg_outside_state_dir
    fi
}
PG_STATE_DIR="$(resolve_pg_state_dir)"
PGDATA_DIR="$PG_STATE_DIR/pgdata"
PGRUN_DIR="$PG_STATE_DIR/pgrun"
PG_LOG="$PG_STATE_DIR/postgresql.log"

# the Odoo launcher: `odoo` if on PATH, else `python3 -m odoo`
if command -v odoo >/dev/null 2>&1; then
    ODOO=(odoo)
else
    ODOO=("$PYTHON" -m odoo)
fi

# ---------------------------------------------------------------- PostgreSQL

find_pg_bin() {
    if [[ -n "${HSP_PG_BIN:-}" ]]; then
        echo "$HSP_PG_BIN"; return
    fi
    local dir
    dir="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    if [[ -n "$dir" && -x "$dir/psql" ]]; then
        echo "$dir"; return
    fi
    if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/psql" ]]; then
        pg_config --bindir; return
    fi
    if command -v psql >/dev/null 2>&1; then
        dirname "$(command -v psql)"; return
    fi
    die "PostgreSQL binaries not found (set HSP_PG_BIN)"
}
PG_BIN="$(find_pg_bin)"

# run a PostgreSQL server binary as the cluster owner (PostgreSQL refuses root); from /,
# since 'postgres' may not be allowed into the current directory (the checkout)
as_pg_owner() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# psql against the server in use: psql_q DBNAME SQL
psql_q() {
    local db="$1" sql="$2"
    if [[ "$PG_MODE" == "private" ]]; then
        PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER="$PG_ROLE" PGPASSWORD="" \
            "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" -c "$sql"
    else
        "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" -c "$sql"
    fi
}

ensure_pg_os_user() {
    if ! id -u postgres >/dev/null 2>&1; then
        say "creating OS user 'postgres' (PostgreSQL does not run as root)"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin postgres
    fi
}

pg_running() {
    [[ -f "$PGDATA_DIR/PG_VERSION" ]] && as_pg_owner "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

# as root, outside the checkout: a folder only 'postgres' can enter, marked with the
# checkout it belongs to (make clean deletes it only when the mark matches)
prepare_outside_state_dir() {
    local dir="$PG_STATE_DIR"
    [[ ! -L "$dir" && ! -L "$(dirname "$dir")" ]] || die "$dir (or its parent) is a symbolic link: refusing to use it"
    install -d -o postgres -g postgres -m 755 "$(dirname "$dir")"
    install -d -o postgres -g postgres -m 700 "$dir"
    [[ "$(stat -c %U "$dir")" == "postgres" ]] || die "$dir exists and is not owned by 'postgres'"
    if [[ -f "$dir/checkout" && "$(cat "$dir/checkout")" != "$ROOT" ]]; then
        die "$dir belongs to another checkout ($(cat "$dir/checkout")); remove it or run 'make clean' there"
    fi
    printf '%s\n' "$ROOT" >"$dir/checkout"
    printf '%s\n' "$dir" >"$PG_CLUSTER_DIR_FILE"
}

init_private_cluster() {
    say "initialising private PostgreSQL cluster in $PGDATA_DIR"
    mkdir -p "$PGDATA_DIR" "$PGRUN_DIR"
    if is_root; then
        chown postgres: "$PGDATA_DIR" "$PGRUN_DIR"
        as_pg_owner test -w "$PGDATA_DIR" ||
            die "OS user 'postgres' cannot write $PGDATA_DIR (a parent directory is not traversable?); fix the permissions or use PGHOST/PGPORT/PGUSER/PGPASSWORD"
    fi
    chmod 700 "$PGDATA_DIR"
    local locale_opt="--no-locale"
    if locale -a 2>/dev/null | grep -qix 'c.utf-\?8'; then
        locale_opt="--locale=C.UTF-8"
    fi
    as_pg_owner "$PG_BIN/initdb" -D "$PGDATA_DIR" --username="$PG_ROLE" --auth=trust \
        --encoding=UTF8 "$locale_opt" >"$BUILD/initdb.log" 2>&1 ||
        { cat "$BUILD/initdb.log" >&2; die "initdb failed (log: $BUILD/initdb.log)"; }
    # Local-only, password-less: loopback TCP and the private socket directory.
    as_pg_owner tee "$PGDATA_DIR/pg_hba.conf" >/dev/null <<EOF
# private development cluster of $ADDON_NAME: trust, loopback/socket only
local   all   all                  trust
host    all   all   127.0.0.1/32   trust
EOF
    as_pg_owner tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null <<EOF

# --- $ADDON_NAME private development cluster (devtools/dev.sh) ---
listen_addresses = '127.0.0.1'
# port: given at start (pg_ctl -o "-p PORT", see .build/pg_port)
unix_socket_directories = '$PGRUN_DIR'
# throw-away development data: favour speed over crash safety
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

# the port of the private cluster, written to .build/pg_port (called under the lock):
# HSP_PG_PORT if set; else the port the cluster runs on; else the remembered one if it
# is still free; else a new free port (a remembered port another process took is replaced)
choose_pg_port() {
    local port=""
    if [[ -n "${HSP_PG_PORT:-}" ]]; then
        port="$HSP_PG_PORT"
    elif pg_running && port="$(sed -n 4p "$PGDATA_DIR/postmaster.pid" 2>/dev/null)" && [[ -n "$port" ]]; then
        :
    else
        port="$(cat "$PG_PORT_FILE" 2>/dev/null || true)"
        if [[ -n "$port" ]] && port_in_use "$port"; then
            local taken="$port"
            port="$(free_port)"
            say "port $taken, remembered for this checkout's PostgreSQL, is now used by another process: using port $port instead"
        elif [[ -z "$port" ]]; then
            port="$(free_port)"
            say "private PostgreSQL of this checkout: port $port (remembered in $PG_PORT_FILE)"
        fi
    fi
    [[ -n "${HSP_PG_PORT:-}" ]] || printf '%s\n' "$port" >"$PG_PORT_FILE"
    PG_PORT="$port"
}

start_private_cluster() {
    mkdir -p "$BUILD"
    if is_root; then
        ensure_pg_os_user
        [[ "$PG_STATE_DIR" == "$BUILD" ]] || prepare_outside_state_dir
    fi
    mkdir -p "$PGRUN_DIR"
    if is_root; then
        chown postgres: "$PGRUN_DIR"
        touch "$PG_LOG" && chown postgres: "$PG_LOG"
    fi
    chmod 755 "$PGRUN_DIR"
    [[ -f "$PGDATA_DIR/PG_VERSION" ]] || init_private_cluster
    choose_pg_port
    if ! pg_running; then
        say "starting private PostgreSQL on 127.0.0.1:$PG_PORT (log: $PG_LOG)"
        # 9>&-: the server must not inherit the flock descriptor (it would hold the lock forever)
        as_pg_owner "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PG_LOG" -o "-p $PG_PORT" -w -t 60 start \
            >/dev/null 9>&- ||
            { tail -n 20 "$PG_LOG" >&2; die "could not start PostgreSQL (is port $PG_PORT taken?)"; }
    fi
}

ensure_db_server() {
    mkdir -p "$BUILD"
    if [[ "$PG_MODE" == "private" ]]; then
        # serialise init/start between concurrent runs
        (
            flock 9
            start_private_cluster
        ) 9>"$BUILD/.pg.lock"
        PG_PORT="${HSP_PG_PORT:-$(cat "$PG_PORT_FILE")}"
        psql_q postgres "SELECT 1" >/dev/null 2>&1 ||
            die "private PostgreSQL is running but not reachable on 127.0.0.1:$PG_PORT (HSP_PG_PORT changed? run 'make stop' first)"
    else
        say "using the PostgreSQL server given by PG* variables (${PGHOST:-<default host>}:${PGPORT:-<default port>}, user ${PGUSER:-$(id -un)})"
        psql_q postgres "SELECT 1" >/dev/null || die "cannot connect to the PostgreSQL server given by PG* variables"
    fi
}

db_exists() {
    [[ "$(psql_q postgres "SELECT 1 FROM pg_database WHERE datname = '$1'")" == "1" ]]
}

drop_db() {
    local db="$1"
    psql_q postgres "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null || return 1
    rm -rf "${DATA_DIR:?}/filestore/$db"
}

# ------------------------------------------------------- addons path + config

odoo_addons_dirs() {
    "$PYTHON" - <<'EOF'
import os

import odoo.addons

print(",".join(dict.fromkeys(os.path.realpath(p) for p in odoo.addons.__path__)))
EOF
}

# .build/addons/hr_school_performance -> the addon sources: Odoo (and pylint-odoo,
# pytest-odoo) see the addon under its technical name whatever the checkout is called
ensure_addon_link() {
    mkdir -p "$ADDONS_LINK_DIR"
    [[ -f "$ADDON_DIR/__manifest__.py" ]] || die "no __manifest__.py in $ADDON_DIR"
    local link="$ADDONS_LINK_DIR/$ADDON_NAME"
    if [[ "$(readlink "$link" 2>/dev/null || true)" != "$ADDON_DIR" ]]; then
        ln -sfn "$ADDON_DIR" "$link"
    fi
}

write_config() {
    mkdir -p "$LOG_DIR" "$DATA_DIR"
    ensure_addon_link
    # db_* lines: only the values that are set (Odoo rejects 'False' for some)
    local db_lines=""
    if [[ "$PG_MODE" == "private" ]]; then
        db_lines+="db_host = 127.0.0.1"$'\n'
        db_lines+="db_port = $PG_PORT"$'\n'
        db_lines+="db_user = $PG_ROLE"$'\n'
    else
        [[ -z "${PGHOST:-}" ]] || db_lines+="db_host = $PGHOST"$'\n'
        [[ -z "${PGPORT:-}" ]] || db_lines+="db_port = $PGPORT"$'\n'
        [[ -z "${PGUSER:-}" ]] || db_lines+="db_user = $PGUSER"$'\n'
        [[ -z "${PGPASSWORD:-}" ]] || db_lines+="db_password = $PGPASSWORD"$'\n'
    fi
    local tmp
    tmp="$(mktemp "$BUILD/.odoo.conf.XXXXXX")"
    chmod 600 "$tmp"
    cat >"$tmp" <<EOF
; generated by devtools/dev.sh at each run: do not edit
[options]
addons_path = $ADDONS_LINK_DIR,$(odoo_addons_dirs)
data_dir = $DATA_DIR
${db_lines}http_interface = 127.0.0.1
list_db = False
workers = 0
EOF
    mv -f "$tmp" "$ODOO_CONF"
}

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# -------------------------------------------------------------- dependencies

python_deps_ok() {
    "$PYTHON" - "$ROOT/requirements-dev.txt" <<'EOF'
import re
import sys
from importlib.metadata import PackageNotFoundError, version

missing = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    m = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*==\s*([^\s;]+)", line)
    if not m:
        missing.append(line)  # unpinned/complex line: let pip decide
        continue
    try:
        if version(m[1]) != m[2]:
            missing.append(line)
    except PackageNotFoundError:
        missing.append(line)
if missing:
    print("missing/outdated: " + ", ".join(missing))
    sys.exit(1)
EOF
}

find_chrome() {
    local bin
    for bin in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$bin" >/dev/null 2>&1 && return 0
    done
    return 1
}

apt_install() {
    local sudo=()
    if ! is_root; then
        command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install $*"
        sudo=(sudo)
    fi
    say "apt-get install $*"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@"
}

ensure_python_deps() {
    local report
    if ! report="$(python_deps_ok)"; then
        say "installing Python dev requirements ($report)"
        "$PYTHON" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements-dev.txt"
    fi
}

ensure_deps() {
    ensure_python_deps
    local pkgs=()
    find_chrome || pkgs+=(chromium)
    command -v wkhtmltopdf >/dev/null 2>&1 || pkgs+=(wkhtmltopdf)
    # pdftotext: the tests read the text layer of real PDFs as laid out on the page.
    command -v pdftotext >/dev/null 2>&1 || pkgs+=(poppler-utils)
    if ((${#pkgs[@]})); then
        apt_install "${pkgs[@]}"
    fi
}

# --------------------------------------------------------------------- lint

cmd_lint() {
    ensure_python_deps
    run_lint
}

run_lint() {
    local rc=0
    local targets=("$ADDON_DIR")
    [[ "$ADDON_DIR" == "$ROOT" ]] || targets+=("$ROOT/devtools")
    ensure_addon_link
    say "ruff check"
    "$PYTHON" -m ruff check --no-fix --config "$ROOT/pyproject.toml" "${targets[@]}" || rc=1
    say "ruff format --check"
    "$PYTHON" -m ruff format --check --config "$ROOT/pyproject.toml" "${targets[@]}" || rc=1
    say "pylint (pylint-odoo, OCA mandatory checks)"
    # run from .build/addons so that pylint(-odoo) sees the package under its technical name
    (cd "$ADDONS_LINK_DIR" && "$PYTHON" -m pylint --rcfile="$ROOT/.pylintrc-mandatory" "$ADDON_NAME") || rc=1
    if ((rc)); then
        say "lint: FAILED"
    else
        say "lint: OK"
    fi
    return "$rc"
}

# --------------------------------------------------------------------- test

TEST_DB=""
ODOO_PID=""
cleanup_test_db() {
    if [[ -n "$ODOO_PID" ]] && kill -0 "$ODOO_PID" 2>/dev/null; then
        kill -TERM "$ODOO_PID" 2>/dev/null || true
        for _ in $(seq 20); do
            kill -0 "$ODOO_PID" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$ODOO_PID" 2>/dev/null || true
    fi
    ODOO_PID=""
    if [[ -n "$TEST_DB" ]]; then
        drop_db "$TEST_DB" >/dev/null 2>&1 || printf 'WARNING: could not drop database %s\n' "$TEST_DB" >&2
        TEST_DB=""
    fi
}

cmd_test() {
    local started=$SECONDS
    ensure_deps
    local lint_rc=0
    if [[ -z "${SKIP_LINT:-}" ]]; then
        run_lint || lint_rc=1
    fi

    ensure_db_server
    write_config
    # keep the 20 most recent test logs
    local old_log
    while read -r old_log; do
        rm -f "$old_log" "${old_log%.log}.out"
    done < <(find "$LOG_DIR" -maxdepth 1 -name 'test-*.log' -printf '%T@ %p\n' | sort -rn |
        tail -n +21 | cut -d' ' -f2-)
    local db port log out
    db="hsp_test_$$_$(date +%s)"
    port="$(free_port)"
    log="$LOG_DIR/test-$db.log"
    out="$LOG_DIR/test-$db.out"
    TEST_DB="$db"
    trap cleanup_test_db EXIT
    trap 'exit 130' INT TERM
    say "installing $ADDON_NAME with demo data and running its tests in database $db (http port $port)"
    say "Odoo log: $log"
    : >"$log"
    local odoo_rc=0
    "${ODOO[@]}" -c "$ODOO_CONF" -d "$db" -i "$ADDON_NAME" --with-demo \
        --test-enable --test-tags "${TEST_TAGS:-/$ADDON_NAME}" --stop-after-init \
        --http-port "$port" --http-interface 127.0.0.1 --workers 0 --max-cron-threads 0 \
        --log-level info --logfile "$log" >"$out" 2>&1 &
    local odoo_pid=$!
    ODOO_PID=$odoo_pid
    # progress: test names and anything at WARNING level or above (tail ends with Odoo)
    tail -n +1 -F --pid="$odoo_pid" "$log" 2>/dev/null |
        grep --line-buffered -E ' (WARNING|ERROR|CRITICAL) | INFO [^ ]+ odoo\.addons\.[^ ]+\.tests\.[^ ]+: Starting ' |
        sed -u -E 's/^[0-9-]+ [0-9:,]+ [0-9]+ //' &
    local tail_pid=$!
    wait "$odoo_pid" || odoo_rc=$?
    ODOO_PID=""
    wait "$tail_pid" || true
    # odoo's own stdout/stderr (everything else goes to the log file)
    if grep -qv "^Running as user 'root' is a security risk.$" "$out"; then
        say "Odoo stdout/stderr ($out):"
        grep -v "^Running as user 'root' is a security risk.$" "$out" | tail -n 50
    fi
    # Multi-process check on the committed test database (issue 14): two real cron
    # workers, then a crash in the middle of a batch; with the whole suite only (run it
    # alone with devtools/cron_workers_check.py on a scratch database).
    local checks=()
    if ((odoo_rc == 0)) && [[ -z "${TEST_TAGS:-}" ]]; then
        say "two cron workers and a crash mid-batch on the committed database $db"
        local line
        while IFS= read -r line; do
            printf '%s\n' "$line"
            if [[ "$line" == PASS\ * || "$line" == FAIL\ * ]]; then
                checks+=(--extra-check "$line")
            fi
        done < <(
            rc=0
            "$PYTHON" "$ROOT/devtools/cron_workers_check.py" --config "$ODOO_CONF" \
                --database "$db" --logdir "$LOG_DIR" --odoo "${ODOO[@]}" 2>>"$out" || rc=$?
            # 3: a scenario failed and said so; anything else: the check itself crashed
            if ((rc != 0 && rc != 3)); then
                echo "FAIL cron workers check: exited with status $rc (see $out)"
            fi
        )
    fi
    cleanup_test_db
    trap - EXIT INT TERM
    say "make test took $((SECONDS - started))s"

    local extra=()
    ((lint_rc == 0)) || extra+=(--extra-failure "lint failed (see above)")
    "$PYTHON" "$ROOT/devtools/check_odoo_log.py" "$log" --module "$ADDON_NAME" \
        --odoo-rc "$odoo_rc" "${extra[@]}" "${checks[@]}"
}

# --------------------------------------------------------------------- demo

print_demo_logins() {
    local rows
    rows="$(psql_q "$DEMO_DB" "
        SELECT u.login, p.name, d.name
          FROM ir_model_data d
          JOIN res_users u ON u.id = d.res_id
          JOIN res_partner p ON p.id = u.partner_id
         WHERE d.module = '$ADDON_NAME' AND d.model = 'res.users'
         ORDER BY d.name")"
    echo
    echo "Odoo ($ADDON_NAME demo): http://127.0.0.1:$DEMO_PORT/web/login   (database $DEMO_DB)"
    echo "Demo logins (password = login):"
    printf '  %-28s %s\n' "admin" "Administrator (password: admin)"
    if [[ -n "$rows" ]]; then
        while IFS='|' read -r login name xmlid; do
            printf '  %-28s %s  [%s.%s]\n' "$login" "$name" "$ADDON_NAME" "$xmlid"
        done <<<"$rows"
    else
        echo "  (no res.users demo records of $ADDON_NAME found)"
    fi
    echo
}

cmd_demo() {
    if port_in_use "$DEMO_PORT"; then
        die "port $DEMO_PORT is already in use (another 'make demo'?); stop it or set DEMO_PORT=..."
    fi
    ensure_db_server
    write_config
    local init_log="$LOG_DIR/demo-init.log"
    local action=""
    if db_exists "$DEMO_DB"; then
        local state
        if state="$(psql_q "$DEMO_DB" "SELECT state FROM ir_module_module WHERE name = '$ADDON_NAME'" 2>/dev/null)" &&
            [[ -n "$state" ]]; then
            if [[ "$state" == "installed" ]]; then
                action="update"
            else
                action="install"
            fi
        else
            say "database $DEMO_DB exists but is not a usable Odoo database: recreating it"
            drop_db "$DEMO_DB"
            action="create"
        fi
    else
        action="create"
    fi
    local args=(-c "$ODOO_CONF" -d "$DEMO_DB" --stop-after-init --no-http --max-cron-threads 0
        --log-level info --logfile "$init_log")
    case "$action" in
        create | install)
            if [[ "$action" == "create" ]]; then
                say "creating $DEMO_DB with $ADDON_NAME and demo data, takes a minute or two (log: $init_log)"
            else
                say "installing $ADDON_NAME with demo data into the existing $DEMO_DB (log: $init_log)"
            fi
            args+=(-i "$ADDON_NAME" --with-demo)
            ;;
        update)
            say "reusing $DEMO_DB: upgrading $ADDON_NAME (log: $init_log)"
            args+=(-u "$ADDON_NAME")
            ;;
    esac
    if ! "${ODOO[@]}" "${args[@]}" >"$init_log.out" 2>&1; then
        tail -n 40 "$init_log" >&2
        [[ "$action" == "create" ]] && drop_db "$DEMO_DB" || true
        die "Odoo could not $action the demo database (log: $init_log)"
    fi
    if grep -qE ' (ERROR|CRITICAL) ' "$init_log"; then
        say "errors were logged while preparing $DEMO_DB:"
        grep -E ' (ERROR|CRITICAL) ' "$init_log" | head -n 20
    fi
    print_demo_logins
    say "serving Odoo on http://127.0.0.1:$DEMO_PORT (Ctrl-C to stop)"
    exec_odoo_serve
}

exec_odoo_serve() {
    exec "${ODOO[@]}" -c "$ODOO_CONF" -d "$DEMO_DB" --db-filter "^${DEMO_DB}\$" \
        --http-interface 127.0.0.1 --http-port "$DEMO_PORT"
}

# ------------------------------------------------------------------- pytest

cmd_pytest() {
    local db="${1:-$DEMO_DB}"
    shift || true
    ensure_python_deps
    ensure_db_server
    write_config
    db_exists "$db" || die "database $db does not exist (run 'make demo' first, or pass DB=...)"
    local state
    state="$(psql_q "$db" "SELECT state FROM ir_module_module WHERE name = '$ADDON_NAME'" 2>/dev/null || true)"
    [[ "$state" == "installed" ]] || die "$ADDON_NAME is not installed in $db"
    say "pytest-odoo on database $db (code changes to models/views need 'make demo' or -u first)"
    # run from .build/addons: the test modules are then imported as
    # odoo.addons.hr_school_performance.tests.* (the repo root is itself a package
    # named after the checkout folder, which pytest must not collect)
    cd "$ADDONS_LINK_DIR"
    "$PYTHON" -m pytest -c "$ROOT/pyproject.toml" --rootdir "$ADDONS_LINK_DIR" --confcutdir "$ADDONS_LINK_DIR" \
        --odoo-config "$ODOO_CONF" --odoo-database "$db" "$ADDON_NAME/tests" "$@"
}

cmd_bench() {
    local db="${1:-$DEMO_DB}"
    ensure_db_server
    write_config
    if [[ "${SCALE:-}" == "trust" ]]; then
        # Trust scale (issue 14): a database of its own, populated once and kept.
        [[ "$db" != "$DEMO_DB" ]] || die "SCALE=trust needs a database of its own: make bench DB=hsp_trust SCALE=trust"
        if ! db_exists "$db"; then
            say "creating $db with $ADDON_NAME (no demo data; log: $LOG_DIR/bench-init.log)"
            "${ODOO[@]}" -c "$ODOO_CONF" -d "$db" -i "$ADDON_NAME" --stop-after-init --no-http \
                --max-cron-threads 0 --log-level warn >"$LOG_DIR/bench-init.log" 2>&1 ||
                { tail -n 30 "$LOG_DIR/bench-init.log" >&2; die "could not create $db"; }
        fi
        say "trust-scale benchmark on database $db (populated once, measurements rolled back)"
        "$PYTHON" "$ROOT/devtools/trust_benchmark.py" --config "$ODOO_CONF" --database "$db" \
            --schools "${SCHOOLS:-50}" --staff "${STAFF:-200}" --years "${YEARS:-5}" \
            --repeat "${REPEAT:-5}"
        # The statement rows of the table: one statement PDF against Odoo's badge PDF, and
        # 20 against one, in a school added to the trust for the measure (rolled back).
        say "statement PDF benchmark on database $db (rolled back)"
        "$PYTHON" "$ROOT/devtools/benchmark_statement.py" --config "$ODOO_CONF" --database "$db"
        return
    fi
    db_exists "$db" || die "database $db does not exist (run 'make demo' first, or pass DB=...)"
    say "benchmark on database $db (everything it creates is rolled back)"
    "$PYTHON" "$ROOT/devtools/benchmark.py" --config "$ODOO_CONF" --database "$db" \
        --sizes "${SIZES:-10 100 1000}"
    say "statement PDF benchmark on database $db (rolled back)"
    "$PYTHON" "$ROOT/devtools/benchmark_statement.py" --config "$ODOO_CONF" --database "$db"
}

# ---------------------------------------------------------------------- pot

# Regenerate i18n/<addon>.pot with Odoo's own exporter (odoo i18n export), from a
# throw-away database where the addon is installed without demo data (the template holds
# the addon's own terms, not the demo trust's). The exporter walks the addons path
# following symbolic links, and .build/addons/<addon> points back at the checkout that
# holds .build/: it would walk in circles, so it reads a copy of the sources without .build/.
POT_TMP=""
cmd_pot() {
    ensure_db_server
    write_config
    local db="hsp_pot_$$_$(date +%s)" tmp
    tmp="$(mktemp -d)"
    POT_TMP="$tmp"
    mkdir -p "$tmp/addons/$ADDON_NAME"
    tar -C "$ADDON_DIR" --exclude=./.build --exclude=./.git -cf - . | tar -C "$tmp/addons/$ADDON_NAME" -xf -
    sed "s|^addons_path = .*|addons_path = $tmp/addons,$(odoo_addons_dirs)|" "$ODOO_CONF" >"$tmp/odoo.conf"
    TEST_DB="$db"
    trap 'cleanup_test_db; rm -rf "${POT_TMP:?}"' EXIT
    say "installing $ADDON_NAME without demo data in $db (log: $LOG_DIR/pot.log)"
    "${ODOO[@]}" -c "$tmp/odoo.conf" -d "$db" -i "$ADDON_NAME" --stop-after-init --no-http \
        --max-cron-threads 0 --log-level warn >"$LOG_DIR/pot.log" 2>&1 ||
        { tail -n 30 "$LOG_DIR/pot.log" >&2; die "could not install $ADDON_NAME (log: $LOG_DIR/pot.log)"; }
    say "exporting the translation template"
    "${ODOO[@]}" i18n export -c "$tmp/odoo.conf" -d "$db" "$ADDON_NAME" >>"$LOG_DIR/pot.log" 2>&1 ||
        { tail -n 30 "$LOG_DIR/pot.log" >&2; die "odoo i18n export failed (log: $LOG_DIR/pot.log)"; }
    mkdir -p "$ADDON_DIR/i18n"
    cp "$tmp/addons/$ADDON_NAME/i18n/$ADDON_NAME.pot" "$ADDON_DIR/i18n/$ADDON_NAME.pot"
    say "wrote i18n/$ADDON_NAME.pot ($(grep -c '^msgid ' "$ADDON_DIR/i18n/$ADDON_NAME.pot") terms)"
}

# --------------------------------------------------------------- stop/clean

cmd_stop() {
    if [[ -f "$PGDATA_DIR/PG_VERSION" ]] && pg_running; then
        say "stopping private PostgreSQL"
        as_pg_owner "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
    else
        say "private PostgreSQL is not running"
    fi
}

cmd_clean() {
    cmd_stop
    if [[ "$PG_STATE_DIR" != "$BUILD" && -d "$PG_STATE_DIR" ]]; then
        if [[ "$(cat "$PG_STATE_DIR/checkout" 2>/dev/null)" == "$ROOT" ]]; then
            say "removing $PG_STATE_DIR (this checkout's PostgreSQL cluster)"
            rm -rf "${PG_STATE_DIR:?}"
        else
            say "not removing $PG_STATE_DIR: it is not marked as this checkout's cluster"
        fi
    fi
    say "removing $BUILD"
    rm -rf "${BUILD:?}"
}

main() {
    local cmd="${1:-}"
    shift || true
    case "$cmd" in
        demo) cmd_demo "$@" ;;
        test) cmd_test "$@" ;;
        lint) cmd_lint "$@" ;;
        pytest) cmd_pytest "$@" ;;
        bench) cmd_bench "$@" ;;
        pot) cmd_pot ;;
        deps) ensure_deps ;;
        db) ensure_db_server ;;
        stop) cmd_stop ;;
        clean) cmd_clean ;;
        *) die "usage: $0 {demo|test|lint|pytest [DB] [pytest args]|bench [DB]|pot|deps|db|stop|clean}" ;;
    esac
}

# one line on purpose: bash must not read past it (the file may be edited while a run is going on)
main "$@"; exit $?
