#!/bin/sh
# Install the pinned Claude Code CLI outside the tracked tree, reuse it when present, and print
# the path of its native binary. The version is pinned here and nowhere else (the tests read it
# from this file).
#
#   IE_CLAUDE_CLI_DIR   install directory (default: ${XDG_CACHE_HOME:-$HOME/.cache}/integration-engineer/claude-cli/VERSION)
#
# Exit status is non-zero, with a message on stderr, when the CLI cannot be installed: the
# end-to-end tests treat a missing CLI as a failure, never as a skip.
set -eu

CLAUDE_CODE_VERSION=2.1.332
# Another version for one run (CI's oldest-supported job): IE_CLAUDE_VERSION=2.1.x
version=${IE_CLAUDE_VERSION:-$CLAUDE_CODE_VERSION}

case "$(uname -m)" in
    x86_64|amd64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) echo "install_cli.sh: unsupported machine $(uname -m) (need x86_64 or aarch64)" >&2; exit 1 ;;
esac
case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) echo "install_cli.sh: unsupported system $(uname -s)" >&2; exit 1 ;;
esac

dir=${IE_CLAUDE_CLI_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/integration-engineer/claude-cli/$version}
bin="$dir/node_modules/@anthropic-ai/claude-code-$os-$arch/claude"
# Versions before the native binary (2.1.1xx and older) ship cli.js, run with node: a wrapper.
js="$dir/node_modules/@anthropic-ai/claude-code/cli.js"
wrapper="$dir/claude"

works() {
    if [ ! -x "$bin" ] && [ -f "$js" ]; then
        printf '#!/bin/sh\nexec node "%s" "$@"\n' "$js" > "$wrapper" && chmod +x "$wrapper" && bin=$wrapper
    fi
    [ -x "$bin" ] || return 1
    out=$("$bin" --version 2>/dev/null) || return 1
    case "$out" in "$version"*) return 0 ;; *) return 1 ;; esac
}

if ! works; then
    command -v npm >/dev/null 2>&1 || {
        echo "install_cli.sh: npm not found; install Node.js (>= 18) and npm to run the end-to-end tests" >&2
        exit 1
    }
    mkdir -p "$dir"
    # A lock so two concurrent `make` runs do not install over each other.
    lock="$dir/.install.lock"
    i=0
    while ! mkdir "$lock" 2>/dev/null; do
        i=$((i + 1))
        if [ "$i" -gt 300 ]; then
            echo "install_cli.sh: $lock held for 5 minutes; remove it if no install is running" >&2
            exit 1
        fi
        sleep 1
    done
    trap 'rmdir "$lock" 2>/dev/null || true' EXIT INT TERM
    if ! works; then
        [ -f "$dir/package.json" ] || printf '{"name": "ie-claude-cli", "private": true}\n' > "$dir/package.json"
        echo "install_cli.sh: installing @anthropic-ai/claude-code@$version into $dir" >&2
        npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
            "@anthropic-ai/claude-code@$version" >&2
        # npm may skip the optional platform package when it is absent from an old lockfile.
        if [ ! -x "$bin" ] && [ ! -f "$js" ]; then
            npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
                "@anthropic-ai/claude-code-$os-$arch@$version" >&2
        fi
        works || {
            echo "install_cli.sh: installed, but $bin --version does not report $version" >&2
            exit 1
        }
    fi
fi
printf '%s\n' "$bin"
