-- Dockside for Neovim 0.11+ (`vim.lsp.config` / `vim.lsp.enable`).
--
-- Put this file on the runtimepath as `lsp/dockside.lua` (for example
-- ~/.config/nvim/lsp/dockside.lua), then call `vim.lsp.enable('dockside')`.
-- Override any field with `vim.lsp.config('dockside', { ... })`, e.g. a `cmd` with the full
-- path of the binary, or `settings = { dockside = { rules = { ignore = { 'DL3008' } } } }`.

-- The nearest dockside.toml or .sln/.slnx is the project root; a Dockerfile outside any
-- project still gets a server rooted at its own folder (single-file use).
local function is_project_marker(name)
  return name == 'dockside.toml' or name:match('%.slnx?$') ~= nil
end

---@type vim.lsp.Config
return {
  cmd = { 'dockside', 'lsp' },
  filetypes = { 'dockerfile' },
  root_dir = function(bufnr, on_dir)
    local fname = vim.api.nvim_buf_get_name(bufnr)
    on_dir(vim.fs.root(fname, is_project_marker) or vim.fs.root(fname, '.git') or vim.fs.dirname(fname))
  end,
  settings = {},
}
