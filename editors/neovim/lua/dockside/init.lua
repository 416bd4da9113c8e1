-- Dockside for Neovim 0.7-0.10 (on 0.11+ prefer lsp/dockside.lua with vim.lsp.enable).
--
--   require('dockside').setup()                       -- `dockside` on PATH
--   require('dockside').setup({ cmd = { '/opt/dockside/dockside', 'lsp' } })
--   require('dockside').setup({ settings = { dockside = { platform = 'linux/arm64' } } })
--
-- Starts (or reuses) one Dockside client per project root for every buffer whose filetype
-- is `dockerfile`. Uses vim.lsp.start where it exists (0.8+) and start_client plus
-- buf_attach_client on 0.7.
local M = {}

M.defaults = {
  name = 'dockside',
  cmd = { 'dockside', 'lsp' },
  settings = {},
}

local uv = vim.uv or vim.loop

local function is_project_marker(name)
  return name == 'dockside.toml' or name:match('%.slnx?$') ~= nil
end

local function parent_dir(dir)
  local parent = vim.fn.fnamemodify(dir, ':h')
  if parent == dir then
    return nil
  end
  return parent
end

-- The nearest folder above `dir` holding an entry for which `matches(name)` is true.
local function find_upwards(dir, matches)
  while dir do
    local handle = uv.fs_scandir(dir)
    while handle do
      local name = uv.fs_scandir_next(handle)
      if not name then
        break
      end
      if matches(name) then
        return dir
      end
    end
    dir = parent_dir(dir)
  end
  return nil
end

-- The nearest dockside.toml or .sln/.slnx, else the git root, else the file's own folder.
function M.root_dir(fname)
  local dir = vim.fn.fnamemodify(fname, ':p:h')
  return find_upwards(dir, is_project_marker)
    or find_upwards(dir, function(name)
      return name == '.git'
    end)
    or dir
end

local function client_config(opts, root)
  local config = vim.tbl_deep_extend('force', M.defaults, opts or {})
  config.root_dir = root
  config.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
  return config
end

-- 0.7 has no vim.lsp.start: keep one client per root ourselves.
local clients_by_root = {}

local function start_legacy(bufnr, config)
  local id = clients_by_root[config.root_dir]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    if not id then
      vim.notify('dockside: could not start ' .. table.concat(config.cmd, ' '), vim.log.levels.ERROR)
      return nil
    end
    clients_by_root[config.root_dir] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

-- Attaches Dockside to `bufnr`; returns the client id.
function M.start(bufnr, opts)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local fname = vim.api.nvim_buf_get_name(bufnr)
  if fname == '' then
    return nil
  end
  local config = client_config(opts, M.root_dir(fname))
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  return start_legacy(bufnr, config)
end

function M.setup(opts)
  local group = vim.api.nvim_create_augroup('dockside', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'dockerfile',
    callback = function(args)
      M.start(args.buf, opts)
    end,
  })
  -- Buffers opened before setup() ran (e.g. `nvim Dockerfile` with a lazy-loaded plugin).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.bo[bufnr].filetype == 'dockerfile' then
      M.start(bufnr, opts)
    end
  end
end

return M
