#!/bin/sh
# What a multi-GB GOCACHE costs as a GitLab cache entry, and what the setup component's pruning saves. No network:
# the realistic GOCACHE is the Go distribution's own (go build std cmd, go vet std, go test -run '^$' std: compiled
# packages, vet results and test binaries' packages, about 2 GB). GitLab's runner archives a cache as a zip; Info-ZIP's
# zip stands in for it here (default level, and -1 like CACHE_COMPRESSION_LEVEL=fastest). The upload itself needs a
# GitLab, so it is not measured: divide the archive size by your runner's bandwidth to its cache storage.
#
#   sh scripts/bench-gitlab-build-cache.sh [WORKDIR]        (default: a new directory under /tmp)
#   BENCH_GOCACHE=/path/to/gocache sh scripts/bench-gitlab-build-cache.sh   reuse a GOCACHE built before
set -eu
work="${1:-$(mktemp -d /tmp/bench-gitlab-build-cache.XXXXXX)}"
mkdir -p "$work/home"
export HOME="$work/home" GOTELEMETRY=off GOFLAGS='' GOTOOLCHAIN=local
command -v go >/dev/null 2>&1 || export PATH="/usr/local/go/bin:$PATH"

now() { date +%s.%N; }
took() { printf '%-44s %8.1f s\n' "$1" "$(echo "$(now) - $2" | bc)"; }
mb() { echo "scale=1; $1 / 1000000" | bc; }

cache="$work/gocache"
if [ -n "${BENCH_GOCACHE:-}" ]; then
  cache="$BENCH_GOCACHE"
else
  (
    export GOCACHE="$cache"
    cd "$(go env GOROOT)/src"
    t=$(now); go build std cmd; took 'go build std cmd' "$t"
    t=$(now); go vet std; took 'go vet std' "$t"
    t=$(now); go test -count=1 -run '^$' std >/dev/null; took "go test -run '^\$' std" "$t"
  )
fi
printf 'GOCACHE: %s MB in %s files\n' "$(mb "$(du -sb "$cache" | cut -f1)")" "$(find "$cache" -type f | wc -l)"

cd "$work"
rm -f cache.zip cache1.zip pruned.zip
t=$(now); (cd "$cache/.." && zip -q -r "$work/cache.zip" "$(basename "$cache")"); took 'zip (default level): archive' "$t"
printf '%-44s %8s MB\n' 'zip (default level): size' "$(mb "$(stat -c %s cache.zip)")"
t=$(now); (cd "$cache/.." && zip -q -1 -r "$work/cache1.zip" "$(basename "$cache")"); took 'zip -1 (fastest): archive' "$t"
printf '%-44s %8s MB\n' 'zip -1 (fastest): size' "$(mb "$(stat -c %s cache1.zip)")"
rm -rf restore && mkdir restore
t=$(now); unzip -q cache.zip -d restore; took 'unzip (the restore)' "$t"
restored="$work/restore/$(basename "$cache")"

# the component's before_script: age every entry by two hours, then a marker
stamp=$(date +%s)
t=$(now)
find "$restored" -mindepth 2 -maxdepth 2 -path "$restored/[0-9a-f][0-9a-f]/*" -exec touch -d "@$((stamp - 7200))" {} +
touch -d "@$((stamp - 60))" "$restored/goproxy-guard.marker"
took 'age the restored entries (before_script)' "$t"

# a job that uses part of it: two commands of the distribution
t=$(now); (cd "$(go env GOROOT)/src" && GOCACHE="$restored" go build -o /dev/null ./cmd/go ./cmd/gofmt); took 'a job: go build ./cmd/go ./cmd/gofmt' "$t"

# the component's after_script: leave out what the job did not use
entries="$restored/[0-9a-f][0-9a-f]/*"
printf 'entries used %s, unused %s\n' \
  "$(find "$restored" -mindepth 2 -maxdepth 2 -path "$entries" -newer "$restored/goproxy-guard.marker" | wc -l)" \
  "$(find "$restored" -mindepth 2 -maxdepth 2 -path "$entries" ! -newer "$restored/goproxy-guard.marker" | wc -l)"
t=$(now)
find "$restored" -mindepth 2 -maxdepth 2 -path "$entries" ! -newer "$restored/goproxy-guard.marker" -exec rm -rf {} +
took 'prune the unused entries (after_script)' "$t"
printf 'pruned GOCACHE: %s MB\n' "$(mb "$(du -sb "$restored" | cut -f1)")"
t=$(now); (cd "$restored/.." && zip -q -r "$work/pruned.zip" "$(basename "$restored")"); took 'zip (default level) of the pruned entry' "$t"
printf '%-44s %8s MB\n' 'pruned zip: size' "$(mb "$(stat -c %s pruned.zip)")"
printf 'machine: %s cores, %s\n' "$(nproc)" "$(go version)"
