#!/usr/bin/env bash
# After the end-to-end run: no citizen's name, phone, e-mail or id from the tests' data may appear in any service's
# log. The data is read from the tests themselves (every applicant and citizen they send), and any Vietnamese mobile
# number is looked for besides. Usage: scan-logs.sh <logs folder> <tests folder>
set -euo pipefail
logs=$1 tests=$2
[ -d "$logs" ] || { echo "no logs at $logs"; exit 1; }

patterns=$(mktemp); trap 'rm -f "$patterns"' EXIT
# Full names (a given name and a family name at least) and whole numbers and addresses: a fragment such as "An" or
# "12" from a validation test would match everything.
{
  grep -rhoE '(applicant|citizen) = new \{ fullName = "[^"]+ [^"]+"' "$tests" --include='*.cs' | sed 's/.*fullName = "//; s/"$//'
  grep -rhoE '(idNumber|phone|email) = "[^"{}$]{9,}"' "$tests" --include='*.cs' | sed 's/^[a-zA-Z]* = "//; s/"$//'
} | sort -u > "$patterns"

files=$(find "$logs" -type f -name '*.log' | wc -l)
found=$(grep -rFf "$patterns" "$logs" --include='*.log' | head -20 || true)
# A mobile number not written by a test literal (generated ones), as it would stand in a log line.
phones=$(grep -rhoE '(^|[^0-9A-Za-z_.-])(\+84|0)[35789][0-9]{8}([^0-9A-Za-z_-]|$)' "$logs" --include='*.log' | head -20 || true)
if [ -n "$found$phones" ]; then
  echo "citizen data in the service logs:"; printf '%s\n' "$found" "$phones" | grep -v '^$'
  exit 1
fi
echo "log scan: $(wc -l < "$patterns") citizen names, ids, phones and e-mails of the tests' data, and any mobile number: none in $files service logs"
