# goproxy-guard setup: before_script (POSIX sh: dash, busybox ash, bash). Rendered into templates/setup.yml by
# scripts/render-templates.mjs: edit this file, then run npm run build.
# No secret is ever echoed: tokens go from the environment into files through awk's ENVIRON and shell builtins, never
# through a command line, and nothing turns on command tracing.
goproxy_guard_fail() { printf 'goproxy-guard: %s\n' "$1" >&2; exit 1; }
goproxy_guard_say() { printf 'goproxy-guard: %s\n' "$1"; }
# typed inputs arrive as boolean:VALUE: GitLab interpolates a whole-value boolean input as a YAML boolean, which a job
# variable cannot hold, so the template writes it inside a string
goproxy_guard_on() { [ "${1#boolean:}" = true ]; }
goproxy_guard_export() { if [ -n "$2" ]; then export "$1=$2"; goproxy_guard_say "$1=$2"; fi; }
# the value of the variable named $1 (busybox images may lack printenv; awk reads the environment without eval)
goproxy_guard_getenv() { awk -v name="$1" 'BEGIN { printf "%s", ENVIRON[name] }'; }

command -v go >/dev/null 2>&1 || goproxy_guard_fail "go is not on PATH; extend .goproxy-guard-setup in a job whose image has Go (e.g. golang:1.26)"

# Build cache first, before any go command touches it. Go refreshes a cache file's mtime on use only when it is older
# than an hour (mtimeInterval in cmd/go/internal/cache/cache.go): so every restored file is aged by two hours (not
# more: Go trims files unused for five days), and after_script keeps only the files newer than the marker.
goproxy_guard_now=$(date +%s)
if goproxy_guard_on "$GOPROXY_GUARD_BUILD_CACHE"; then
  export GOCACHE="$GOPROXY_GUARD_GOCACHE"
  mkdir -p "$GOCACHE"
  # the entries: a file, or a directory holding a cached executable (Go marks the directory), in 00 … ff
  goproxy_guard_restored=$(find "$GOCACHE" -mindepth 2 -maxdepth 2 -path "$GOCACHE/[0-9a-f][0-9a-f]/*" | wc -l | tr -d ' ')
  find "$GOCACHE" -mindepth 2 -maxdepth 2 -path "$GOCACHE/[0-9a-f][0-9a-f]/*" -exec touch -d "@$((goproxy_guard_now - 7200))" {} +
  touch -d "@$((goproxy_guard_now - 60))" "$GOCACHE/goproxy-guard.marker"
  goproxy_guard_say "GOCACHE=$GOCACHE ($goproxy_guard_restored entries restored)"
fi

# Go variables: an input wins over a preset; an empty input keeps whatever the job already has
goproxy_guard_preset_proxy=''
goproxy_guard_preset_sumdb=''
case "$GOPROXY_GUARD_PRESET" in
  official)
    goproxy_guard_preset_proxy='https://proxy.golang.org,direct'
    goproxy_guard_preset_sumdb='sum.golang.org' ;;
  china)
    goproxy_guard_preset_proxy='https://goproxy.cn,https://mirrors.aliyun.com/goproxy/,direct'
    goproxy_guard_preset_sumdb='sum.golang.org https://goproxy.cn/sumdb/sum.golang.org' ;;
  '') ;;
  *) goproxy_guard_fail "preset '$GOPROXY_GUARD_PRESET' is unknown; use official, china or leave it empty" ;;
esac
goproxy_guard_export GOPROXY "${GOPROXY_GUARD_GOPROXY:-$goproxy_guard_preset_proxy}"
goproxy_guard_export GOSUMDB "${GOPROXY_GUARD_GOSUMDB:-$goproxy_guard_preset_sumdb}"
goproxy_guard_export GOPRIVATE "$GOPROXY_GUARD_GOPRIVATE"
goproxy_guard_export GONOPROXY "$GOPROXY_GUARD_GONOPROXY"
goproxy_guard_export GONOSUMDB "$GOPROXY_GUARD_GONOSUMDB"
goproxy_guard_export GOINSECURE "$GOPROXY_GUARD_GOINSECURE"
goproxy_guard_export GOTOOLCHAIN "$GOPROXY_GUARD_GOTOOLCHAIN"
goproxy_guard_export GOAUTH "$GOPROXY_GUARD_GOAUTH"
mkdir -p "$GOMODCACHE"
goproxy_guard_say "GOMODCACHE=$GOMODCACHE"

# A private directory outside the project (never cached, never uploaded) for the checks and the credential files,
# removed when the job's shell exits (a later `trap … EXIT` in your script replaces this; the runner then removes
# RUNNER_TEMP_PROJECT_DIR, and a container executor discards it anyway).
goproxy_guard_umask=$(umask)
umask 077
goproxy_guard_base="${RUNNER_TEMP_PROJECT_DIR:-${TMPDIR:-/tmp}}"
mkdir -p "$goproxy_guard_base"
goproxy_guard_dir=$(mktemp -d "$goproxy_guard_base/goproxy-guard.XXXXXX") || goproxy_guard_fail "cannot create a directory under $goproxy_guard_base"
trap 'rm -rf "$goproxy_guard_dir"' EXIT

# Checked by Go itself, outside any module and with the local toolchain (no download before the credentials exist)
# (variables reach go through env: an assignment before a function call is not portable)
goproxy_guard_go() { (umask "$goproxy_guard_umask" && cd "$goproxy_guard_dir" && exec env GOTOOLCHAIN=local GOWORK=off "$@"); }
if ! goproxy_guard_out=$(goproxy_guard_go GOFLAGS="$GOPROXY_GUARD_GOFLAGS" go version 2>&1); then
  goproxy_guard_fail "goflags '$GOPROXY_GUARD_GOFLAGS' is refused by Go: $goproxy_guard_out"
fi
goproxy_guard_flags=$(goproxy_guard_go go env GOFLAGS) || goproxy_guard_fail "go env GOFLAGS failed"
goproxy_guard_job_flags="$goproxy_guard_flags"
goproxy_guard_flags="${goproxy_guard_flags:+$goproxy_guard_flags }$GOPROXY_GUARD_GOFLAGS"
goproxy_guard_flags="${goproxy_guard_flags% }"
if goproxy_guard_on "$GOPROXY_GUARD_MODCACHERW"; then
  case " $goproxy_guard_flags " in
    *' -modcacherw '*) ;;
    *) goproxy_guard_flags="${goproxy_guard_flags:+$goproxy_guard_flags }-modcacherw" ;;
  esac
fi
if ! goproxy_guard_out=$(goproxy_guard_go GOFLAGS="$goproxy_guard_flags" go version 2>&1); then
  goproxy_guard_fail "the job's GOFLAGS '$goproxy_guard_job_flags' (from the environment or go env -w) is refused by Go: $goproxy_guard_out"
fi
case " $goproxy_guard_flags " in
  # -modfile needs a module to check against; Go checks it at the first build
  *' -modfile'*) ;;
  *)
    if ! goproxy_guard_out=$(goproxy_guard_go GOFLAGS="$goproxy_guard_flags" go list -e runtime 2>&1 >/dev/null); then
      goproxy_guard_fail "goflags: Go refuses GOFLAGS '$goproxy_guard_flags' (goflags '$GOPROXY_GUARD_GOFLAGS' after the job's '$goproxy_guard_job_flags'): $goproxy_guard_out"
    fi ;;
esac
[ "$goproxy_guard_flags" = "$goproxy_guard_job_flags" ] || goproxy_guard_export GOFLAGS "$goproxy_guard_flags"

# Go ignores a pattern its path.Match cannot parse (the module then silently never matches): only '[' and '\' can
# make one malformed, so only then is a small program built to ask Go (compiled once, cached in GOCACHE)
case "${GOPRIVATE:-},${GONOPROXY:-},${GONOSUMDB:-},${GOINSECURE:-}" in
  *'['* | *\\*)
    cat > "$goproxy_guard_dir/patterns.go" <<'GOPROXY_GUARD_GO'
package main

import (
  "fmt"
  "os"
  "path"
  "strings"
)

// each argument is NAME=LIST; every pattern of LIST must be one path.Match accepts
func main() {
  bad := false
  for _, arg := range os.Args[1:] {
    name, list, _ := strings.Cut(arg, "=")
    for _, pattern := range strings.Split(list, ",") {
      if _, err := path.Match(pattern, ""); pattern != "" && err != nil {
        fmt.Printf("%s: pattern %q: %v\n", name, pattern, err)
        bad = true
      }
    }
  }
  if bad {
    os.Exit(1)
  }
}
GOPROXY_GUARD_GO
    if ! goproxy_guard_out=$(goproxy_guard_go GOFLAGS='' GOOS='' GOARCH='' go run patterns.go \
      "goprivate=${GOPRIVATE:-}" "gonoproxy=${GONOPROXY:-}" "gonosumdb=${GONOSUMDB:-}" "goinsecure=${GOINSECURE:-}" 2>&1); then
      goproxy_guard_fail "Go cannot parse a module path pattern, so it would never match: $goproxy_guard_out"
    fi ;;
esac

# Credentials: every source in netrc form (ours only), then one netrc for Go (NETRC) with a line for each host and for
# each host:port at which GOPROXY or GOSUMDB reach it (Go 1.24+ looks an entry up by host:port), and one git include
# file with an Authorization header per host (git ignores NETRC).
goproxy_guard_sources="$goproxy_guard_dir/sources"
: > "$goproxy_guard_sources"
if [ -n "$GOPROXY_GUARD_AUTH_HOST" ]; then
  [ -n "$GOPROXY_GUARD_AUTH_USERNAME" ] || goproxy_guard_fail "auth-host is set, auth-username is empty"
  # the inputs may name variables; check what they expanded to
  case "$GOPROXY_GUARD_AUTH_HOST" in
    *[!A-Za-z0-9.:-]*) goproxy_guard_fail "auth-host '$GOPROXY_GUARD_AUTH_HOST' is not a host or host:port" ;;
  esac
  case "$GOPROXY_GUARD_AUTH_USERNAME" in
    *[[:space:]]*) goproxy_guard_fail "auth-username holds whitespace, which a netrc cannot carry" ;;
  esac
  goproxy_guard_secret=$(goproxy_guard_getenv "$GOPROXY_GUARD_AUTH_TOKEN_VARIABLE")
  [ -n "$goproxy_guard_secret" ] || goproxy_guard_fail "auth-host is set, but the variable $GOPROXY_GUARD_AUTH_TOKEN_VARIABLE (auth-token-variable) is empty or not defined; add it as a masked CI/CD variable"
  case "$goproxy_guard_secret" in
    *[[:space:]]*) goproxy_guard_fail "the variable $GOPROXY_GUARD_AUTH_TOKEN_VARIABLE holds whitespace; it must hold only the token" ;;
  esac
  printf 'machine %s login %s password %s\n' "$GOPROXY_GUARD_AUTH_HOST" "$GOPROXY_GUARD_AUTH_USERNAME" "$goproxy_guard_secret" >> "$goproxy_guard_sources"
  goproxy_guard_secret=''
fi
goproxy_guard_secret=$(goproxy_guard_getenv "$GOPROXY_GUARD_AUTH_NETRC_VARIABLE")
if [ -n "$goproxy_guard_secret" ]; then
  # a File-type variable holds a path; a plain variable holds the netrc text itself
  if [ -f "$goproxy_guard_secret" ]; then
    cat "$goproxy_guard_secret" >> "$goproxy_guard_sources"
  else
    printf '%s\n' "$goproxy_guard_secret" >> "$goproxy_guard_sources"
  fi
  printf '\n' >> "$goproxy_guard_sources"
fi
goproxy_guard_secret=''
if goproxy_guard_on "$GOPROXY_GUARD_AUTH_JOB_TOKEN"; then
  [ -n "${CI_JOB_TOKEN:-}" ] || goproxy_guard_fail "auth-job-token is true, but CI_JOB_TOKEN is not set"
  [ -n "${CI_SERVER_HOST:-}" ] || goproxy_guard_fail "auth-job-token is true, but CI_SERVER_HOST is not set"
  printf 'machine %s login gitlab-ci-token password %s\n' "$CI_SERVER_HOST" "$CI_JOB_TOKEN" >> "$goproxy_guard_sources"
  if [ -n "${CI_SERVER_FQDN:-}" ] && [ "$CI_SERVER_FQDN" != "$CI_SERVER_HOST" ]; then
    printf 'machine %s login gitlab-ci-token password %s\n' "$CI_SERVER_FQDN" "$CI_JOB_TOKEN" >> "$goproxy_guard_sources"
  fi
fi

if [ -s "$goproxy_guard_sources" ]; then
  goproxy_guard_netrc="$goproxy_guard_dir/netrc"
  goproxy_guard_hosts="$goproxy_guard_dir/hosts"
  # the URLs Go sends credentials to: every GOPROXY entry (a bare host means https://host) and the GOSUMDB URL
  goproxy_guard_urls=$(printf '%s\n' "${GOPROXY:-}" | tr ',' ' ' | tr '|' ' ')
  goproxy_guard_urls="$goproxy_guard_urls $(printf '%s\n' "${GOSUMDB:-}" | awk '{ print $2 }')"
  : > "$goproxy_guard_hosts"
  # netrc entries (one may span lines) to one line per machine: the entry's host; its bare host when it names a port
  # (Go before 1.24 ignores the port) unless another entry names that bare host; and host:port for every port at
  # which a URL reaches a bare host. The first entry for a machine wins, as in Go. The hosts file gets each
  # entry's own host once, for the git headers.
  awk -v urls="$goproxy_guard_urls" -v hosts="$goproxy_guard_hosts" '
    function add(m, l, p) { if (m != "" && l != "" && p != "") { n++; host[n] = tolower(m); user[n] = l; pass[n] = p } }
    function flush() { add(m, l, p); m = ""; l = ""; p = "" }
    function emit(machine, i) {
      if (machine in seen) return
      seen[machine] = 1
      print "machine", machine, "login", user[i], "password", pass[i]
    }
    { for (f = 1; f <= NF; f++) {
        if ($f == "machine") { flush(); m = $(++f) }
        else if ($f == "default") { flush() }
        else if ($f == "login") { l = $(++f) }
        else if ($f == "password") { p = $(++f) }
    } }
    END {
      flush()
      count = split(urls, list, /[ \t\n]+/)
      for (u = 1; u <= count; u++) {
        url = list[u]
        if (url == "" || url == "direct" || url == "off") continue
        sub(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, "", url)
        sub(/\/.*$/, "", url)
        sub(/^.*@/, "", url)
        if (url !~ /:[0-9]+$/ || url ~ /\]$/) continue
        port = url; sub(/^.*:/, "", port)
        h = tolower(url); sub(/:[0-9]+$/, "", h)
        if (index(" " ports[h] " ", " " port " ") == 0) ports[h] = ports[h] " " port
      }
      for (i = 1; i <= n; i++) if (host[i] !~ /:[0-9]+$/) bare[host[i]] = 1
      for (i = 1; i <= n; i++) {
        if (!(host[i] in listed)) { listed[host[i]] = 1; print host[i], user[i], pass[i] > hosts }
        if (host[i] ~ /:[0-9]+$/) {
          emit(host[i], i)
          b = host[i]; sub(/:[0-9]+$/, "", b)
          if (!(b in bare)) emit(b, i)
          continue
        }
        emit(host[i], i)
        # the ports sorted as strings, in the order the action writes them
        k = split(ports[host[i]], sorted, " ")
        for (x = 2; x <= k; x++) { v = sorted[x] ""; for (y = x - 1; y >= 1 && (sorted[y] "") > v; y--) sorted[y + 1] = sorted[y]; sorted[y + 1] = v }
        for (x = 1; x <= k; x++) emit(host[i] ":" sorted[x], i)
      }
    }
  ' "$goproxy_guard_sources" > "$goproxy_guard_netrc"
  rm -f "$goproxy_guard_sources"
  chmod 600 "$goproxy_guard_netrc"
  # keep the netrc Go would have read otherwise, after ours (Go takes the first entry for a host)
  goproxy_guard_previous="${NETRC:-${HOME:-/nonexistent}/.netrc}"
  if [ -f "$goproxy_guard_previous" ] && [ -r "$goproxy_guard_previous" ]; then
    printf '\n' >> "$goproxy_guard_netrc"
    cat "$goproxy_guard_previous" >> "$goproxy_guard_netrc"
  fi
  export NETRC="$goproxy_guard_netrc"

  # git (go-import of private repositories over HTTPS) ignores NETRC: send an Authorization header per host, from a
  # config file that git includes through GIT_CONFIG_COUNT, after any include already set
  goproxy_guard_gitconfig="$goproxy_guard_dir/gitconfig"
  : > "$goproxy_guard_gitconfig"
  chmod 600 "$goproxy_guard_gitconfig"
  while read -r goproxy_guard_host goproxy_guard_user goproxy_guard_pass; do
    case "$goproxy_guard_host" in
      *[!A-Za-z0-9.:-]*) printf 'goproxy-guard: no git header for netrc machine %s: not a host\n' "$goproxy_guard_host" >&2; continue ;;
    esac
    goproxy_guard_basic=$(printf '%s:%s' "$goproxy_guard_user" "$goproxy_guard_pass" | base64 | tr -d '\n')
    printf '[http "https://%s/"]\n\textraheader = Authorization: Basic %s\n' "$goproxy_guard_host" "$goproxy_guard_basic" >> "$goproxy_guard_gitconfig"
  done < "$goproxy_guard_hosts"
  rm -f "$goproxy_guard_hosts"
  goproxy_guard_pass=''
  goproxy_guard_basic=''
  goproxy_guard_index="${GIT_CONFIG_COUNT:-0}"
  case "$goproxy_guard_index" in ''|*[!0-9]*) goproxy_guard_index=0 ;; esac
  export "GIT_CONFIG_KEY_$goproxy_guard_index=include.path"
  export "GIT_CONFIG_VALUE_$goproxy_guard_index=$goproxy_guard_gitconfig"
  export GIT_CONFIG_COUNT=$((goproxy_guard_index + 1))
  goproxy_guard_say "credentials: $(grep -c '^machine ' "$goproxy_guard_netrc") netrc line(s) for $(grep -c '^\[http ' "$goproxy_guard_gitconfig") host(s) in NETRC=$NETRC and a git include file, both mode 0600"
fi

umask "$goproxy_guard_umask"

# A restored module cache is verified before anything builds from it: Go checks a cached module's .ziphash against
# go.sum, but trusts the zip itself; only go mod verify re-hashes it.
if goproxy_guard_on "$GOPROXY_GUARD_CACHE_UNPROTECT" && ! goproxy_guard_on "$GOPROXY_GUARD_VERIFY"; then
  goproxy_guard_fail "cache-unprotect shares the module cache with unprotected branches, which is safe only when every restore is verified: set verify to true (or cache-unprotect to false)"
fi
if goproxy_guard_on "$GOPROXY_GUARD_VERIFY" && [ -n "$(ls -A "$GOMODCACHE/cache/download" 2>/dev/null)" ]; then
  # the workspace at the project root, else every module below it (not in vendor/, testdata/, node_modules/, dot
  # directories, the module cache or the build cache)
  if [ -f go.work ] && [ "${GOWORK:-}" != off ]; then
    printf '.\n' > "$goproxy_guard_dir/modules"
  else
    find . \( -name vendor -o -name testdata -o -name node_modules -o -name '.?*' \
      -o -path "./${GOMODCACHE#"$PWD"/}" -o -path "./${GOPROXY_GUARD_GOCACHE#"$PWD"/}" \) -prune \
      -o -name go.mod -type f -print | sed 's|/go\.mod$||' | sort > "$goproxy_guard_dir/modules"
  fi
  goproxy_guard_verified=0
  while IFS= read -r goproxy_guard_module; do
    if ! goproxy_guard_out=$(cd "$goproxy_guard_module" && go mod verify 2>&1); then
      printf '%s\n' "$goproxy_guard_out" >&2
      if printf '%s\n' "$goproxy_guard_out" | grep -q 'has been modified'; then
        printf '%s\n' "$goproxy_guard_out" | sed -n 's/^\([^ ]*\) \([^ ]*\): \([a-z]*\) has been modified.*/goproxy-guard: SECURITY: \1@\2 in the restored module cache does not match what was downloaded (its \3 changed); Go would build it without checking it again./p' >&2
        goproxy_guard_fail "the restored module cache was altered: do not build with it. Clear the runner caches (Build > Pipelines > Clear runner caches) and find out how the entry was changed."
      fi
      goproxy_guard_fail "go mod verify failed in $goproxy_guard_module (see Go's words above)"
    fi
    goproxy_guard_verified=$((goproxy_guard_verified + 1))
  done < "$goproxy_guard_dir/modules"
  goproxy_guard_say "go mod verify: the restored module cache matches what was downloaded ($goproxy_guard_verified module(s) or workspace(s))"
fi

if [ "${NETRC:-}" != "$goproxy_guard_dir/netrc" ]; then rm -rf "$goproxy_guard_dir"; fi
unset goproxy_guard_secret goproxy_guard_previous goproxy_guard_base goproxy_guard_flags goproxy_guard_job_flags
unset goproxy_guard_preset_proxy goproxy_guard_preset_sumdb goproxy_guard_index goproxy_guard_netrc goproxy_guard_gitconfig
unset goproxy_guard_out goproxy_guard_urls goproxy_guard_sources goproxy_guard_hosts goproxy_guard_host goproxy_guard_user
unset goproxy_guard_pass goproxy_guard_basic goproxy_guard_modules goproxy_guard_module goproxy_guard_verified
unset goproxy_guard_now goproxy_guard_restored
unset -f goproxy_guard_fail goproxy_guard_export goproxy_guard_say goproxy_guard_on goproxy_guard_go goproxy_guard_getenv
unset goproxy_guard_umask
