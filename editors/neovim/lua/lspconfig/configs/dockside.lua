-- Dockside in nvim-lspconfig's format: with this folder on the runtimepath,
-- `require('lspconfig').dockside.setup({})` finds it the way it finds its own configs.
local util = require('lspconfig.util')

return {
  default_config = {
    cmd = { 'dockside', 'lsp' },
    filetypes = { 'dockerfile' },
    root_dir = function(fname)
      return util.root_pattern('dockside.toml', '*.sln', '*.slnx')(fname)
        or util.root_pattern('.git')(fname)
        or vim.fn.fnamemodify(fname, ':p:h')
    end,
    single_file_support = true,
    settings = {},
  },
  docs = {
    description = [[
https://github.com/dockside-dev/dockside

Dockside: language server and linter for the Dockerfiles of .NET solutions
(diagnostics, image sizes on hover, code actions). Install the `dockside` binary on PATH.
]],
  },
}
