-- Drives a headless Neovim (0.7 .. 0.11+) configured the way README tells users, against
-- Dockside, and writes what the editor saw to a JSON report that tests/editors.rs asserts on.
--
-- Environment: DOCKSIDE_TEST_FILE (the Dockerfile to open), DOCKSIDE_TEST_SECOND_FILE (a
-- Dockerfile.* in the same project), DOCKSIDE_TEST_REPORT (where the JSON goes), and
-- DOCKSIDE_TEST_ABSENT_CODE (a rule the configuration turns off: wait until it is gone).
-- Runs with `nvim --headless -c 'luafile drive.lua'`; exits 0 when the report is written,
-- 1 (with the error on stderr and in the report) otherwise.

local TIMEOUT_MS = 20000
local report = { nvim_version = tostring(vim.version().major) .. '.' .. vim.version().minor }

local function log(msg)
  io.stderr:write('[drive.lua] ' .. msg .. '\n')
end

local function write_report()
  local path = assert(os.getenv('DOCKSIDE_TEST_REPORT'), 'DOCKSIDE_TEST_REPORT is not set')
  local file = assert(io.open(path, 'w'))
  file:write(vim.fn.json_encode(report))
  file:close()
end

-- Raw publishDiagnostics params by URI, as the server sent them (vim.diagnostic drops `code`
-- formatting differences between versions; the raw form is what code actions need anyway).
local published = {}
local original_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  if result and result.uri then
    published[result.uri] = { version = result.version, diagnostics = result.diagnostics, seq = (published[result.uri] and published[result.uri].seq or 0) + 1 }
  end
  return original_publish(err, result, ctx, config)
end

local function clients_of(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  local list = {}
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    table.insert(list, client)
  end
  return list
end

local function dockside_client(bufnr)
  for _, client in ipairs(clients_of(bufnr)) do
    if client.name == 'dockside' then
      return client
    end
  end
  return nil
end

local function wait_for(what, predicate)
  if not vim.wait(TIMEOUT_MS, predicate, 50) then
    error('timed out after ' .. TIMEOUT_MS .. ' ms waiting for ' .. what)
  end
end

-- Only the request's result from our client; errors become Lua errors.
local function request(bufnr, client, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT_MS)
  if not responses then
    error(method .. ': ' .. tostring(err))
  end
  local response = responses[client.id]
  if not response then
    error(method .. ': no response from dockside')
  end
  if response.err or response.error then
    error(method .. ': ' .. vim.inspect(response.err or response.error))
  end
  return response.result
end

local function capability(client, name)
  local caps = client.server_capabilities or {}
  local value = caps[name]
  return value ~= nil and value ~= false and value ~= vim.NIL
end

local function summarize_diagnostics(list)
  local out = {}
  for _, d in ipairs(list or {}) do
    table.insert(out, {
      line = d.range.start.line,
      character = d.range.start.character,
      end_line = d.range['end'].line,
      end_character = d.range['end'].character,
      severity = d.severity,
      code = d.code,
      source = d.source,
      message = d.message,
    })
  end
  table.sort(out, function(a, b)
    return a.line < b.line or (a.line == b.line and a.character < b.character)
  end)
  return out
end

local function symbol_tree(symbols)
  local out = {}
  for _, s in ipairs(symbols or {}) do
    table.insert(out, {
      name = s.name,
      kind = s.kind,
      line = (s.range or s.location.range).start.line,
      children = s.children and symbol_tree(s.children) or nil,
    })
  end
  return out
end

local function hover_text(result)
  if result == nil or result == vim.NIL then
    return nil
  end
  local function piece(content)
    if type(content) == 'string' then
      return content
    end
    return content.value or ''
  end
  local contents = result.contents
  if type(contents) == 'table' and contents.kind == nil and contents.value == nil then
    local parts = {}
    for _, c in ipairs(contents) do
      table.insert(parts, piece(c))
    end
    return table.concat(parts, '\n')
  end
  return piece(contents)
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
end

local function open(path)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  wait_for('dockside to attach to ' .. path, function()
    local client = dockside_client(bufnr)
    return client ~= nil and client.initialized ~= false and published[uri] ~= nil
  end)
  -- With settings that turn a rule off: the server re-analyses once the client answered
  -- workspace/configuration; wait for that publication.
  local absent = os.getenv('DOCKSIDE_TEST_ABSENT_CODE')
  if absent then
    wait_for(absent .. ' to go away', function()
      for _, d in ipairs(published[uri].diagnostics) do
        if d.code == absent then
          return false
        end
      end
      return true
    end)
  end
  return bufnr, uri, dockside_client(bufnr)
end

local function action_for(actions, code)
  for _, action in ipairs(actions or {}) do
    for _, d in ipairs(action.diagnostics or {}) do
      if d.code == code then
        return action
      end
    end
  end
  return nil
end

local function apply_code_action(bufnr, uri, client, diagnostic)
  local actions = request(bufnr, client, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = diagnostic.range,
    context = { diagnostics = { diagnostic }, only = nil },
  })
  local titles = {}
  for _, a in ipairs(actions or {}) do
    table.insert(titles, a.title)
  end
  local result = { titles = titles }
  local action = action_for(actions, diagnostic.code)
  if not action then
    return result
  end
  if not action.edit and not action.command and capability(client, 'codeActionProvider')
    and type(client.server_capabilities.codeActionProvider) == 'table'
    and client.server_capabilities.codeActionProvider.resolveProvider then
    action = request(bufnr, client, 'codeAction/resolve', action)
  end
  result.title = action.title
  result.kind = action.kind
  local seq_before = published[uri].seq
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
  end
  local command = action.command
  if type(command) == 'table' then
    request(bufnr, client, 'workspace/executeCommand', { command = command.command, arguments = command.arguments })
  end
  result.text_after = buffer_text(bufnr)
  -- A publication for the old text (the server re-publishes when indexing ends or
  -- settings arrive) can land after the edit; wait for the one for the edited version.
  local function edited_version()
    local versions = vim.lsp.util.buf_versions
    return (versions and versions[bufnr]) or vim.b[bufnr].changedtick
  end
  wait_for('diagnostics for the edited buffer', function()
    local p = published[uri]
    return p.seq > seq_before and (p.version == nil or p.version >= edited_version())
  end)
  result.diagnostics_after = summarize_diagnostics(published[uri].diagnostics)
  return result
end

local function run()
  local file = assert(os.getenv('DOCKSIDE_TEST_FILE'), 'DOCKSIDE_TEST_FILE is not set')
  local bufnr, uri, client = open(file)
  report.filetype = vim.bo[bufnr].filetype
  report.client_name = client.name
  report.root_dir = client.config.root_dir
  report.cmd = client.config.cmd
  report.has_hover = capability(client, 'hoverProvider')
  report.has_code_action = capability(client, 'codeActionProvider')
  report.diagnostics = summarize_diagnostics(published[uri].diagnostics)
  report.vim_diagnostic_count = #vim.diagnostic.get(bufnr)
  report.symbols = symbol_tree(request(bufnr, client, 'textDocument/documentSymbol', { textDocument = { uri = uri } }))

  if report.has_hover then
    -- On `sdk` of `FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build`.
    local line = vim.api.nvim_buf_get_lines(bufnr, 0, 1, false)[1]
    local col = assert(line:find('sdk', 1, true), 'no `sdk` on line 1: ' .. line) - 1
    report.hover = hover_text(request(bufnr, client, 'textDocument/hover', {
      textDocument = { uri = uri },
      position = { line = 0, character = col },
    }))
  end

  if report.has_code_action then
    local target
    for _, d in ipairs(published[uri].diagnostics) do
      if d.code == 'JSONArgsRecommended' then
        target = d
      end
    end
    assert(target, 'no JSONArgsRecommended diagnostic to fix')
    report.code_action = apply_code_action(bufnr, uri, client, target)
  end

  local second = os.getenv('DOCKSIDE_TEST_SECOND_FILE')
  if second then
    local second_buf, second_uri, second_client = open(second)
    report.second = {
      filetype = vim.bo[second_buf].filetype,
      same_client = second_client.id == client.id,
      diagnostics = summarize_diagnostics(published[second_uri].diagnostics),
    }
  end
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  report.error = tostring(err)
  log('FAIL: ' .. tostring(err))
end
local written, write_err = pcall(write_report)
if not written then
  log('cannot write the report: ' .. tostring(write_err))
end
if ok and written then
  vim.cmd('qall!')
else
  vim.cmd('cquit 1')
end
