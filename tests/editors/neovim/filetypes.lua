-- Records the filetype Neovim gives each file name in DOCKSIDE_TEST_NAMES (one per line,
-- opened as new files in DOCKSIDE_TEST_DIR) and writes {name: filetype} to DOCKSIDE_TEST_REPORT.
local dir = assert(os.getenv('DOCKSIDE_TEST_DIR'), 'DOCKSIDE_TEST_DIR is not set')
local result = {}
for name in assert(os.getenv('DOCKSIDE_TEST_NAMES'), 'DOCKSIDE_TEST_NAMES is not set'):gmatch('[^\n]+') do
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/' .. name))
  result[name] = vim.bo.filetype
end
local file = assert(io.open(assert(os.getenv('DOCKSIDE_TEST_REPORT')), 'w'))
file:write(vim.fn.json_encode(result))
file:close()
vim.cmd('qall!')
