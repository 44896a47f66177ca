#!/bin/sh
# The system programs the tests drive for real: tmux (the CLI's terminal UI), bubblewrap (the
# sandbox engine), and go and cargo (builds that must keep working inside the sandbox). Installed with the package manager when missing and allowed (root on Debian or
# Ubuntu, as CI runs); otherwise a clear message and a non-zero exit: a missing program is a
# failure of `make test`, never a skipped test.
set -eu
missing=""
command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
command -v bwrap >/dev/null 2>&1 || missing="$missing bubblewrap"
# Runs, not only found: a rustup proxy without a toolchain is on PATH yet cannot build.
go version >/dev/null 2>&1 || missing="$missing golang-go"
# With a HOME of its own, as the build tests run it: root's rustup proxy works only with root's HOME.
scratch_home=$(mktemp -d)
HOME="$scratch_home" cargo --version >/dev/null 2>&1 || [ -x /usr/bin/cargo ] || missing="$missing cargo"
rm -rf "$scratch_home"  # made by mktemp above; rustup writes its state into it
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install_deps.sh: installing$missing with apt-get" >&2
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    exit 0
fi
echo "install_deps.sh: the tests need$missing; install them (e.g. sudo apt-get install$missing," >&2
echo "  sudo dnf install$missing, brew install tmux) and run make test again" >&2
exit 1
