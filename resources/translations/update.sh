#!/bin/sh
# Regenerate GradLab's Chinese catalogue; run from anywhere, rerun whenever tr() strings change.
#   1. pyside6-lupdate collects every tr()/translate() string of gradlab/**/*.py into
#      gradlab_zh_CN.ts, keeping the translations already there (strings no longer in the
#      code are dropped; new ones arrive as type="unfinished"). Module-level helpers named
#      _tr() or _t() that call QCoreApplication.translate(context, text) are read like tr();
#      self.tr_noop(text) (ConfigForm's marker for texts it translates later) like
#      QT_TR_NOOP, but in the calling class's context.
#   2. Translate the new strings (Qt Linguist: .venv/bin/pyside6-linguist gradlab_zh_CN.ts,
#      or edit the file) and mark them finished; tests/ui/test_i18n.py fails while any is not.
#   3. pyside6-lrelease compiles gradlab_zh_CN.qm, which ships with the package.
# Usage: resources/translations/update.sh [--lupdate-only | --release-only]
# GRADLAB_TS=other.ts updates that file instead (the translation test uses a copy).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${GRADLAB_QT_BIN:-$root/.venv/bin}
ts=${GRADLAB_TS:-$here/gradlab_zh_CN.ts}
qm=$here/gradlab_zh_CN.qm
mode=${1:-all}
cd "$root"
if [ "$mode" != "--release-only" ]; then
    list=$(mktemp)
    trap 'rm -f "$list"' EXIT
    find gradlab -name '*.py' | LC_ALL=C sort > "$list"
    "$bin/pyside6-lupdate" -silent -locations none -no-obsolete \
        -tr-function-alias tr+=_tr,tr+=_t,QT_TR_NOOP+=tr_noop \
        -source-language en -target-language zh_CN "@$list" -ts "$ts"
fi
if [ "$mode" != "--lupdate-only" ]; then
    "$bin/pyside6-lrelease" -silent "$ts" -qm "$qm"
fi
unfinished=$(grep -c 'type="unfinished"' "$ts" || true)
total=$(grep -c '<message' "$ts" || true)
echo "$(basename "$ts"): $total strings, $unfinished still to translate"
