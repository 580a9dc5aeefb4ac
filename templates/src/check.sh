# goproxy-guard check: script (POSIX sh). Rendered into templates/check.yml by scripts/render-templates.mjs.
# The CLI reads the inputs from the GOPROXY_GUARD_<NAME> variables and the credentials itself, from the variables the
# auth-* flags name: no secret passes through this script or a command line.
# Typed inputs arrive as boolean:VALUE or number:VALUE (a job variable cannot hold a YAML boolean or number): the CLI
# gets the value.
export GOPROXY_GUARD_PROBE="${GOPROXY_GUARD_PROBE#boolean:}"
export GOPROXY_GUARD_PROBE_TIMEOUT="${GOPROXY_GUARD_PROBE_TIMEOUT#number:}"
export GOPROXY_GUARD_GO_TIMEOUT="${GOPROXY_GUARD_GO_TIMEOUT#number:}"
export GOPROXY_GUARD_SELECT_FASTEST="${GOPROXY_GUARD_SELECT_FASTEST#boolean:}"
export GOPROXY_GUARD_DOWNLOAD="${GOPROXY_GUARD_DOWNLOAD#boolean:}"
export GOPROXY_GUARD_CHECK_DRIFT="${GOPROXY_GUARD_CHECK_DRIFT#boolean:}"
export GOPROXY_GUARD_CHECK_POST="${GOPROXY_GUARD_CHECK_POST#boolean:}"
export GOPROXY_GUARD_ALLOW_EXTERNAL_REPLACE="${GOPROXY_GUARD_ALLOW_EXTERNAL_REPLACE#boolean:}"
if [ "${GOPROXY_GUARD_MODCACHERW#boolean:}" = true ]; then
  case " $GOPROXY_GUARD_GOFLAGS " in
    *' -modcacherw '*) ;;
    *) export GOPROXY_GUARD_GOFLAGS="${GOPROXY_GUARD_GOFLAGS:+$GOPROXY_GUARD_GOFLAGS }-modcacherw" ;;
  esac
fi

set -- run --report-dir "$GOPROXY_GUARD_REPORT_DIR"
if [ -n "$GOPROXY_GUARD_AUTH_HOST" ]; then
  set -- "$@" --auth-host "$GOPROXY_GUARD_AUTH_HOST" --auth-username "$GOPROXY_GUARD_AUTH_USERNAME" \
    --auth-token-variable "$GOPROXY_GUARD_AUTH_TOKEN_VARIABLE"
fi
set -- "$@" --auth-netrc-variable "$GOPROXY_GUARD_AUTH_NETRC_VARIABLE"
if [ "${GOPROXY_GUARD_AUTH_JOB_TOKEN#boolean:}" = true ]; then set -- "$@" --auth-job-token; fi

# exit codes: 0 ok, 1 drift or verification failure, 2 invalid input, 3 proxy failure
goproxy_guard_status=0
goproxy-guard "$@" || goproxy_guard_status=$?
# the dotenv report exists whatever happened (the CLI writes it unless it stopped before reading its inputs), and
# tells jobs that run after a failure (allow_failure, when: always) how this one ended
mkdir -p "$GOPROXY_GUARD_REPORT_DIR"
printf 'GOPROXY_GUARD_EXIT_CODE=%s\n' "$goproxy_guard_status" >> "$GOPROXY_GUARD_REPORT_DIR/goproxy-guard.env"
exit "$goproxy_guard_status"
