#!/bin/sh
# Usage: select-student.sh COMMAND [ARG...]
#
# Runs COMMAND as the student this pod belongs to. The pod is `streamlab-N` of a StatefulSet; N
# (the pod ordinal, the number after the last '-' of HOSTNAME) picks row N of the roster, counting
# from 0 and skipping blank lines and lines starting with '#'. A row is `student,token`:
#
#   student  lowercase letters, digits and '_', starting with a letter (at most 40 characters);
#            it becomes the Kafka topic prefix `student.` and the PostgreSQL schema `student`
#   token    the student's access token for the workbench (8 to 200 characters)
#
# Exported for COMMAND: STREAMLAB_STUDENT, STREAMLAB_TOKEN, STREAMLAB_TOPIC_PREFIX,
# STREAMLAB_PG_SCHEMA, STREAMLAB_PG (when set) with the student's schema as search_path, and, when
# STREAMLAB_CLASS_DOMAIN is set, STREAMLAB_ALLOWED_ORIGINS extended with the student's address
# http(s)://STUDENT.DOMAIN ('_' becomes '-'), the page origin the runtime must accept.
# The roster is read from $STREAMLAB_ROSTER (default /classroom/roster/roster.csv).
set -eu

fail() {
  echo "select-student: $*" >&2
  exit 1
}

roster="${STREAMLAB_ROSTER:-/classroom/roster/roster.csv}"
[ -r "$roster" ] || fail "cannot read the roster at $roster"

ordinal="${HOSTNAME##*-}"
case "$ordinal" in
  '' | *[!0-9]*) fail "cannot take a pod ordinal from HOSTNAME '${HOSTNAME:-}'" ;;
esac

# Windows line endings and surrounding spaces are common in hand-edited CSV files.
rows=$(tr -d '\r' < "$roster" | grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' || true)
count=$(printf '%s\n' "$rows" | grep -c . || true)
row=$(printf '%s\n' "$rows" | sed -n "$((ordinal + 1))p")
[ -n "$row" ] || fail "the roster has $count students, so pod ordinal $ordinal has none: lower the replicas or add a row"

student=$(printf '%s' "${row%%,*}" | tr -d '[:space:]')
rest="${row#*,}"
[ "$rest" != "$row" ] || fail "roster row $((ordinal + 1)) '$row' is not 'student,token'"
token=$(printf '%s' "${rest%%,*}" | tr -d '[:space:]')

printf '%s' "$student" | grep -Eq '^[a-z][a-z0-9_]{0,39}$' ||
  fail "student '$student' (row $((ordinal + 1))) must be lowercase letters, digits and '_', starting with a letter"
case "$student" in
  pg_*) fail "student '$student' (row $((ordinal + 1))): PostgreSQL reserves schema names starting with pg_" ;;
esac
# The runtime accepts tokens of 8 to 200 characters.
[ ${#token} -ge 8 ] && [ ${#token} -le 200 ] ||
  fail "student '$student' (row $((ordinal + 1))) needs a token of 8 to 200 characters"

export STREAMLAB_STUDENT="$student"
export STREAMLAB_TOKEN="$token"
export STREAMLAB_TOPIC_PREFIX="$student."
export STREAMLAB_PG_SCHEMA="$student"
if [ -n "${STREAMLAB_PG:-}" ]; then
  # libpq and node-postgres both pass `options` to the server: every session starts in the schema.
  case "$STREAMLAB_PG" in
    *\?*) separator='&' ;;
    *) separator='?' ;;
  esac
  export STREAMLAB_PG="${STREAMLAB_PG}${separator}options=-c%20search_path%3D${student}"
fi
if [ -n "${STREAMLAB_CLASS_DOMAIN:-}" ]; then
  # The same host name student-access.sh gives this student's Ingress rule.
  host="$(printf '%s' "$student" | tr _ -).$STREAMLAB_CLASS_DOMAIN"
  export STREAMLAB_ALLOWED_ORIGINS="${STREAMLAB_ALLOWED_ORIGINS:+$STREAMLAB_ALLOWED_ORIGINS,}http://$host,https://$host"
fi

exec "$@"
