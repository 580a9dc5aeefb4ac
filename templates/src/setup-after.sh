# goproxy-guard setup: after_script (POSIX sh). Rendered into templates/setup.yml by scripts/render-templates.mjs.
# A shell of its own: nothing from before_script survives but job variables and files, so every path here is derived
# from GOPROXY_GUARD_GOCACHE. It runs before GitLab archives the caches, and leaves in the build cache's path only what
# this job used or built, and only when this job saves the build cache; everything else is deleted (nothing in the
# job runs after after_script, and files moved out of the project would stay on the runner's disk).
goproxy_guard_build_cache() {
  goproxy_guard_cache="${GOPROXY_GUARD_GOCACHE:-}"
  case "$goproxy_guard_cache" in
    "${CI_PROJECT_DIR:-/nonexistent}"/?*) ;;
    *) printf 'goproxy-guard: build cache: %s is not inside the project directory; left alone\n' "$goproxy_guard_cache"; return 0 ;;
  esac
  case "/$goproxy_guard_cache/" in
    */../*) printf 'goproxy-guard: build cache: %s climbs out of the project directory; left alone\n' "$goproxy_guard_cache"; return 0 ;;
  esac
  [ -d "$goproxy_guard_cache" ] || return 0
  goproxy_guard_marker="$goproxy_guard_cache/goproxy-guard.marker"
  goproxy_guard_why=''
  if [ "${GOPROXY_GUARD_BUILD_CACHE#boolean:}" != true ]; then
    goproxy_guard_why='build-cache is false'
  elif [ "${CI_JOB_STATUS:-success}" != success ]; then
    # GitLab saves no cache for a failed job (cache:when on_success); nothing to prepare
    return 0
  elif [ ! -f "$goproxy_guard_marker" ]; then
    goproxy_guard_why="the marker of before_script is missing (is the component's before_script replaced?), so used and unused files cannot be told apart"
  else
    case "$GOPROXY_GUARD_BUILD_CACHE_SAVE" in
      always) ;;
      never) goproxy_guard_why='build-cache-save is never' ;;
      *)
        if [ "${CI_COMMIT_REF_NAME:-}" != "${CI_DEFAULT_BRANCH:-}" ] || [ -n "${CI_COMMIT_TAG:-}" ]; then
          goproxy_guard_why="build-cache-save is default-branch and ${CI_COMMIT_REF_NAME:-this ref} is not ${CI_DEFAULT_BRANCH:-the default branch}"
        fi ;;
    esac
  fi
  if [ -n "$goproxy_guard_why" ]; then
    # the entry GitLab then uploads for this ref is empty (a few bytes), and no restore prefers it
    rm -rf "$goproxy_guard_cache"
    printf 'goproxy-guard: build cache not saved: %s\n' "$goproxy_guard_why"
    return 0
  fi
  # entries (files, and directories of cached executables) not newer than the marker were restored and not used by
  # this job: Go refreshes a used entry's mtime
  goproxy_guard_entries="$goproxy_guard_cache/[0-9a-f][0-9a-f]/*"
  goproxy_guard_unused=$(find "$goproxy_guard_cache" -mindepth 2 -maxdepth 2 -path "$goproxy_guard_entries" ! -newer "$goproxy_guard_marker" | wc -l | tr -d ' ')
  find "$goproxy_guard_cache" -mindepth 2 -maxdepth 2 -path "$goproxy_guard_entries" ! -newer "$goproxy_guard_marker" -exec rm -rf {} +
  rm -f "$goproxy_guard_marker"
  goproxy_guard_kept=$(find "$goproxy_guard_cache" -mindepth 2 -maxdepth 2 -path "$goproxy_guard_entries" | wc -l | tr -d ' ')
  printf 'goproxy-guard: build cache: saving %s entries this job used or built; left out %s restored entries it did not use\n' \
    "$goproxy_guard_kept" "$goproxy_guard_unused"
}
goproxy_guard_build_cache
unset -f goproxy_guard_build_cache
unset goproxy_guard_cache goproxy_guard_marker goproxy_guard_why goproxy_guard_unused goproxy_guard_kept goproxy_guard_entries
