# Sourced by backup.sh and restore.sh: turns an Npgsql connection string into libpq's
# environment variables, and finds pg_dump and pg_restore.
#
#   npgsql_to_libpq "<connection string>"   exports PGHOST, PGPORT, PGDATABASE, PGUSER,
#                                           PGPASSWORD and PGSSLMODE
#   find_pg_tool pg_dump                    prints the path of the newest pg_dump found

npgsql_to_libpq() {
    local cs=$1 part key value
    unset PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD PGSSLMODE
    IFS=';' read -r -a parts <<<"$cs"
    for part in "${parts[@]}"; do
        [[ $part == *=* ]] || continue
        key=$(tr -d ' ' <<<"${part%%=*}" | tr '[:upper:]' '[:lower:]')
        value=${part#*=}
        case $key in
            host|server) export PGHOST=$value ;;
            port) export PGPORT=$value ;;
            database|db) export PGDATABASE=$value ;;
            username|userid|user|uid) export PGUSER=$value ;;
            password|pwd) export PGPASSWORD=$value ;;
            sslmode)
                case $(tr '[:upper:]' '[:lower:]' <<<"$value") in
                    disable) export PGSSLMODE=disable ;;
                    allow) export PGSSLMODE=allow ;;
                    prefer) export PGSSLMODE=prefer ;;
                    require) export PGSSLMODE=require ;;
                    verifyca) export PGSSLMODE=verify-ca ;;
                    verifyfull) export PGSSLMODE=verify-full ;;
                esac
                ;;
        esac
    done
    [[ -n ${PGHOST:-} && -n ${PGDATABASE:-} ]] || return 1
}

# The newest tool of that name: on PATH, or among the installed server binaries.
# pg_dump must be at least as new as the server it dumps.
find_pg_tool() {
    local tool=$1 candidate best=""
    while IFS= read -r candidate; do
        [[ -x $candidate ]] && best=$candidate
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin/"$tool" /usr/pgsql-*/bin/"$tool" | sort -V)
    if [[ -z $best ]] && command -v "$tool" >/dev/null 2>&1; then
        best=$(command -v "$tool")
    fi
    [[ -n $best ]] || return 1
    printf '%s\n' "$best"
}
