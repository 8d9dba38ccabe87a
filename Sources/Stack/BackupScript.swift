/// The `backup` service's program: a POSIX shell script handed to the service as a Swarm config
/// (`brickctl-backup loop`), run by the database image's own `sh` (Debian's dash in the lab image,
/// Ubuntu's in `mariadb:11`), which also ships `mariadb-dump`, `zstd` and coreutils.
///
/// Every `BACKUP_EVERY` seconds, or as soon as a file named `dump-now` appears beside the dumps
/// (`brickctl backup create` asks for a fresh dump that way), it runs `mariadb-dump
/// --single-transaction --routines --events --triggers` of `DB_NAME` on `DB_HOST` (the backend
/// network), compresses it with zstd into `.tmp-NAME` beside the dumps, checks that the dump ends
/// with its `-- Dump completed` line and takes its sha256 from the stream (one pass: nothing is read
/// back from the volume), fsyncs it, writes `NAME.sha256` (sha256sum's format), and renames
/// both into place: `NAME` = `DB_NAME-YYYYMMDDTHHMMSSZ.sql.zst` (`DumpFile`). Then it keeps only the
/// newest `BACKUP_KEEP` complete dumps (`DumpFile.expired`). A failed dump removes its temp file,
/// keeps every older dump, says why on stdout (the service's log), and makes `health` fail until a
/// dump succeeds again. `status.json` beside the dumps (`BackupStatus`) names the newest good dump
/// and the last error.
///
/// The password is read from `DB_PASSWORD_FILE` (a Docker secret) into a 0600 client options file
/// in the container's /tmp: never on a command line, never in the environment.
///
/// Pure: `text` is a constant (the settings come from the environment the stack file gives the
/// service), `digest` is part of the Swarm config's name.
public struct BackupScript: SwarmConfigText, Equatable, Sendable {
    public init() {}

    /// Where the service mounts the script (a Swarm config, mode 0555).
    public static let path = "/usr/local/bin/brickctl-backup"
    /// The file name of the script next to the stack file.
    public static let file = "backup.sh"

    public var text: String {
        #"""
        #!/bin/sh
        # Written by brickctl stack: the backup service (brickctl-backup loop | once | health | restore FILE).
        # Settings from the environment: BACKUP_DIR BACKUP_EVERY (s) BACKUP_KEEP DB_HOST DB_NAME
        # DB_USER DB_PASSWORD_FILE. Dumps: DB_NAME-YYYYMMDDTHHMMSSZ.sql.zst + .sha256 beside;
        # status.json: the newest good dump and the last error.
        set -u
        umask 027
        dir=${BACKUP_DIR:-/backups}
        every=${BACKUP_EVERY:-900}
        keep=${BACKUP_KEEP:-96}
        db=${DB_NAME:-wordpress}
        tmpdir=${TMPDIR:-/tmp}
        state=$tmpdir/brickctl-backup.state
        cnf=$tmpdir/brickctl-backup.cnf
        err=$tmpdir/brickctl-backup.err
        rcfile=$tmpdir/brickctl-backup.rc
        zrcfile=$tmpdir/brickctl-backup.zrc
        wrcfile=$tmpdir/brickctl-backup.wrc
        fifo=$tmpdir/brickctl-backup.fifo
        lastline=$tmpdir/brickctl-backup.last
        sumfile=$tmpdir/brickctl-backup.sum
        pattern="^$db-[0-9]{8}T[0-9]{6}Z\\.sql\\.zst\$"
        last_error=""
        last_error_time=""
        tmp=""
        report=""

        # Every message on stdout (the service's log); a restore's also into its report.
        log() {
          printf 'backup: %s\n' "$*"
          [ -z "$report" ] || printf '%s\n' "$*" >>"$report.tmp" 2>/dev/null
        }

        json_escape() { printf '%s' "$1" | tr '\n\r\t' '   ' | tr -d '\000-\037' | sed 's/\\/\\\\/g; s/"/\\"/g'; }

        # The complete dumps (with their .sha256), newest first.
        complete_dumps() {
          ls -1 "$dir" 2>/dev/null | grep -E "$pattern" | sort -r | while read -r f; do
            [ -f "$dir/$f.sha256" ] && printf '%s\n' "$f"
          done
        }

        # status.json, atomically: the newest good dump (null before the first), the last error.
        write_status() {
          ok=$1
          newest=$(complete_dumps | head -n 1)
          count=$(complete_dumps | wc -l)
          good=null
          if [ -n "$newest" ]; then
            stamp=${newest#"$db"-}
            stamp=${stamp%.sql.zst}
            iso=$(printf '%s' "$stamp" | sed -E 's/^(....)(..)(..)T(..)(..)(..)Z$/\1-\2-\3T\4:\5:\6Z/')
            bytes=$(stat -c %s "$dir/$newest" 2>/dev/null || echo 0)
            sum=$(cut -d ' ' -f 1 "$dir/$newest.sha256" 2>/dev/null)
            good="{\"file\":\"$newest\",\"time\":\"$iso\",\"bytes\":$bytes,\"sha256\":\"$sum\"}"
          fi
          error=null
          if [ -n "$last_error" ]; then
            error="{\"time\":\"$last_error_time\",\"message\":\"$(json_escape "$last_error")\"}"
          fi
          printf '{"version":1,"database":"%s","intervalSeconds":%s,"keep":%s,"updated":"%s","lastAttemptOk":%s,"dumps":%s,"lastGood":%s,"lastError":%s}\n' \
            "$db" "$every" "$keep" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$ok" "$count" "$good" "$error" \
            >"$dir/.status.json.tmp" && chmod 644 "$dir/.status.json.tmp" && mv -f "$dir/.status.json.tmp" "$dir/status.json"
        }

        fail() {
          last_error=$1
          last_error_time=$(date -u +%Y-%m-%dT%H:%M:%SZ)
          log "FAILED: $1 (the older dumps are kept)"
          [ -z "$tmp" ] || rm -f "$tmp" "$tmp.sha256"
          printf 'failed %s\n' "$1" >"$state"
          write_status false
          return 1
        }

        # The client options file: the password from the secret, readable by this user only.
        write_cnf() {
          pw=$(cat "${DB_PASSWORD_FILE:-/run/secrets/db_password}") || return 1
          esc=$(printf '%s' "$pw" | sed 's/\\/\\\\/g; s/"/\\"/g')
          (umask 077 && printf '[client]\nhost=%s\nuser=%s\npassword="%s"\n' "${DB_HOST:-db}" "${DB_USER:-wordpress}" "$esc" >"$cnf")
        }

        # Only the newest $keep complete dumps stay; a dump without its .sha256 never counts.
        prune() {
          complete_dumps | tail -n +$((keep + 1)) | while read -r old; do
            rm -f "$dir/$old" "$dir/$old.sha256" && log "removed $old (keeping the newest $keep)"
          done
          ls -1 "$dir" 2>/dev/null | grep -E "$pattern" | while read -r f; do
            [ -f "$dir/$f.sha256" ] || { rm -f "$dir/$f" && log "removed $f (no .sha256: never completed)"; }
          done
        }

        # The tables of $db (empty when the server does not answer).
        table_count() {
          mariadb --defaults-extra-file="$cnf" -N -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='$db'" 2>/dev/null
        }

        dump_once() {
          started=$(date +%s)
          name="$db-$(date -u +%Y%m%dT%H%M%SZ).sql.zst"
          tmp=""
          [ -d "$dir" ] && [ -w "$dir" ] || { fail "$dir is not a writable directory (is the backups volume mounted?)"; return 1; }
          rm -f "$dir"/.tmp-* 2>/dev/null
          tmp="$dir/.tmp-$name"
          write_cnf || { fail "cannot read the password file ${DB_PASSWORD_FILE:-/run/secrets/db_password}"; return 1; }
          # A database without tables yet (a site deployed, WordPress not installed): the dump is
          # written all the same, and the loop dumps again as soon as tables appear.
          tables=$(table_count)
          : >"$err"
          rm -f "$fifo" "$lastline" "$sumfile" "$zrcfile" "$wrcfile"
          mkfifo -m 600 "$fifo" || { fail "mkfifo $fifo failed"; return 1; }
          # One pass, nothing read back from the volume: the dump's last line and the sha256 of
          # the compressed bytes are taken from the stream as it is written (a second read through
          # Gluster cost the site as much as the write). The dump's own I/O and CPU are bounded by
          # the service's CPU limit.
          tail -n 1 <"$fifo" >"$lastline" &
          tailpid=$!
          { { mariadb-dump --defaults-extra-file="$cnf" --single-transaction --routines --events --triggers \
                --quick --hex-blob "$db" 2>"$err"; echo $? >"$rcfile"; } | tee "$fifo" | zstd -q -3 -c 2>>"$err"
            echo $? >"$zrcfile"; } | { tee "$tmp" 2>>"$err" && echo 0 >"$wrcfile"; } | sha256sum >"$sumfile"
          wait "$tailpid"
          rm -f "$fifo"
          drc=$(cat "$rcfile" 2>/dev/null || echo "?")
          zrc=$(cat "$zrcfile" 2>/dev/null || echo "?")
          why=$(tail -c 400 "$err" | tr '\n' ' ')
          [ "$drc" = 0 ] || { fail "mariadb-dump exited $drc: $why"; return 1; }
          [ "$zrc" = 0 ] || { fail "zstd exited $zrc: $why"; return 1; }
          [ -s "$wrcfile" ] || { fail "writing $tmp failed: $why"; return 1; }
          # A dump cut short (a killed server, a full disk) has no completion line: never kept.
          grep -q '^-- Dump completed' "$lastline" ||
            { fail "the dump does not end with '-- Dump completed' (cut short)"; return 1; }
          sum=$(cut -d ' ' -f 1 "$sumfile" 2>/dev/null) && [ ${#sum} = 64 ] || { fail "sha256sum of the dump failed"; return 1; }
          printf '%s  %s\n' "$sum" "$name" >"$tmp.sha256" || { fail "cannot write $tmp.sha256"; return 1; }
          sync "$tmp" "$tmp.sha256" || { fail "fsync of $tmp failed"; return 1; }
          mv -f "$tmp" "$dir/$name" && mv -f "$tmp.sha256" "$dir/$name.sha256" ||
            { fail "cannot rename $tmp into place"; return 1; }
          sync "$dir" 2>/dev/null
          tmp=""
          prune
          printf 'ok %s\n' "$name" >"$state"
          write_status true
          log "wrote $name ($(stat -c %s "$dir/$name") bytes, sha256 $sum) in $(($(date +%s) - started)) s; $(complete_dumps | wc -l) dumps kept (at most $keep)"
          [ "$tables" != 0 ] || log "database $db has no tables yet (the site is not installed): the loop dumps again within 30 s of their appearing"
          return 0
        }

        health() {
          [ -f "$state" ] || { echo "no dump attempted yet"; exit 1; }
          read -r verdict rest <"$state"
          [ "$verdict" = ok ] || { echo "the last dump failed: $rest"; exit 1; }
          age=$(($(date +%s) - $(stat -c %Y "$state")))
          [ "$age" -le $((every * 2 + 300)) ] || { echo "no dump for $age s (every $every s)"; exit 1; }
          echo "ok: $rest"
        }

        # Loads a dump into a fresh database: sha256 checked first, the server waited for (at most
        # RESTORE_WAIT s), refused when the database already has tables (RESTORE_FORCE=1: saved as
        # a dump beside the others first, then loaded over) or when the dump comes from a newer
        # MariaDB major than the server. With RESTORE_ID, what it says is also left beside the
        # dumps as .restore-RESTORE_ID (RestoreReport), complete when it appears (renamed at exit).
        restore_dump() {
          file=$1
          if [ -n "${RESTORE_ID:-}" ]; then
            report="$dir/.restore-$RESTORE_ID"
            rm -f "$report.tmp"
            trap 'sync "$report.tmp" 2>/dev/null; mv -f "$report.tmp" "$report" 2>/dev/null' EXIT
          fi
          [ -r "$file" ] && [ -r "$file.sha256" ] ||
            { log "REFUSED: cannot read $file or its .sha256 as uid $(id -u) (missing, or owned by another user); nothing was loaded"; exit 1; }
          expected=$(cut -d ' ' -f 1 "$file.sha256" 2>/dev/null)
          actual=$(sha256sum "$file" 2>/dev/null | cut -d ' ' -f 1)
          [ -n "$expected" ] && [ "$expected" = "$actual" ] ||
            { log "REFUSED: $file does not match its .sha256 (corrupt or truncated); nothing was loaded"; exit 1; }
          write_cnf || { log "FAILED: cannot read the password file"; exit 1; }
          deadline=$(($(date +%s) + ${RESTORE_WAIT:-300}))
          until mariadb --defaults-extra-file="$cnf" -N -e 'SELECT 1' >/dev/null 2>"$err"; do
            [ "$(date +%s)" -lt "$deadline" ] ||
              { log "FAILED: the database did not answer within ${RESTORE_WAIT:-300} s: $(tail -c 300 "$err" | tr '\n' ' ')"; exit 1; }
            sleep 2
          done
          server=$(mariadb --defaults-extra-file="$cnf" -N -e 'SELECT VERSION()' | cut -d . -f 1)
          dumped=$(zstd -dcq "$file" | head -n 8 | sed -n 's/^-- Server version[[:space:]]*\([0-9][0-9]*\)\..*/\1/p')
          if [ -n "$dumped" ] && [ -n "$server" ] && [ "$dumped" -gt "$server" ]; then
            log "REFUSED: the dump comes from MariaDB $dumped, the server is MariaDB $server (older): use an image of MariaDB $dumped or later"
            exit 1
          fi
          mariadb --defaults-extra-file="$cnf" -e "CREATE DATABASE IF NOT EXISTS \`$db\`" 2>"$err" ||
            { log "FAILED: cannot create database $db: $(tail -c 300 "$err")"; exit 1; }
          tables=$(mariadb --defaults-extra-file="$cnf" -N -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='$db'")
          if [ "$tables" != 0 ]; then
            if [ "${RESTORE_FORCE:-0}" != 1 ]; then
              log "REFUSED: database $db already has $tables tables (not a fresh database); nothing was loaded"
              exit 1
            fi
            # Forced: the current database is kept aside as one more dump first (none removed now).
            keep=1000000
            log "database $db has $tables tables: saving it as a dump beside the others before loading"
            dump_once || { log "REFUSED: could not save the current database first; nothing was loaded"; exit 1; }
          fi
          started=$(date +%s)
          { zstd -dcq "$file"; echo $? >"$rcfile"; } | mariadb --defaults-extra-file="$cnf" "$db" 2>"$err"
          lrc=$?
          [ "$(cat "$rcfile")" = 0 ] && [ "$lrc" = 0 ] ||
            { log "FAILED: loading $file: $(tail -c 400 "$err" | tr '\n' ' ')"; exit 1; }
          posts=$(mariadb --defaults-extra-file="$cnf" -N -e "SELECT COUNT(*) FROM ${TABLE_PREFIX:-wp_}posts WHERE post_type='post' AND post_status='publish'" "$db" 2>/dev/null)
          log "RESTORED ${file##*/} into $db in $(($(date +%s) - started)) s: ${posts:-?} published posts"
        }

        loop() {
          trap 'exit 0' TERM INT
          step=5
          [ "$every" -ge 10 ] || step=1
          log "every $every s, keeping $keep dumps of $db in $dir"
          while :; do
            rm -f "$dir/dump-now"
            # After a failure (the database still starting, away for a moment) the next try comes
            # sooner: within 30 s, not a whole interval later.
            pause=$every
            tables=""
            dump_once || { [ "$every" -le 30 ] || pause=30; }
            waited=0
            while [ "$waited" -lt "$pause" ] && [ ! -e "$dir/dump-now" ]; do
              sleep "$step"
              waited=$((waited + step))
              # The last dump found no tables: every 30 s a look (no dump, nothing written), and
              # the first dump of the installed site as soon as it has some.
              if [ "$tables" = 0 ] && [ $((waited % 30)) -lt "$step" ]; then
                [ "$(table_count)" = 0 ] || break
              fi
            done
          done
        }

        case ${1:-loop} in
          loop) loop ;;
          once) dump_once ;;
          health) health ;;
          restore) restore_dump "${2:?usage: brickctl-backup restore FILE}" ;;
          *) echo "usage: brickctl-backup loop|once|health|restore FILE" >&2; exit 2 ;;
        esac

        """#
    }

}
