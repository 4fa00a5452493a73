-- Headless Neovim (0.7+) as a real LSP client of `perflint server`.
-- Opens the file given on the command line, waits for perflint's diagnostics,
-- applies the preferred quick fix through a code action request, waits for the
-- diagnostics to clear, and writes what it saw as JSON to $PERFLINT_NVIM_OUT.
-- Neovim 0.7 has no vim.lsp.start (0.8+): start_client + buf_attach_client.
local out = os.getenv("PERFLINT_NVIM_OUT") or "perflint-nvim.json"
local result = { nvim = string.format("%d.%d.%d", vim.version().major, vim.version().minor, vim.version().patch) }

local function finish(code)
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd(code == 0 and "qall!" or ("cquit " .. code))
end

local function run()
local cmd = vim.fn.json_decode(os.getenv("PERFLINT_SERVER_CMD") or error("PERFLINT_SERVER_CMD is not set"))

local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = "perflint",
  cmd = cmd,
  root_dir = vim.fn.getcwd(),
  -- answered by Neovim to the server's workspace/configuration request
  settings = { perflint = { severity = { io = "error", micro = "error" } } },
  on_exit = function(code) result.server_exit = code end,
})
vim.lsp.buf_attach_client(buf, client_id)

-- severity "error" shows that the settings made the round trip
local ok = vim.wait(60000, function()
  local d = vim.diagnostic.get(buf)
  return #d == 1 and d[1].severity == vim.diagnostic.severity.ERROR
end, 50)
result.diagnostics = vim.diagnostic.get(buf)
if not ok then
  result.error = "timeout waiting for an error-severity diagnostic"
  return finish(2)
end

local d = result.diagnostics[1]
local params = {
  textDocument = vim.lsp.util.make_text_document_params(buf),
  range = { start = { line = d.lnum, character = d.col }, ["end"] = { line = d.end_lnum, character = d.end_col } },
  context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, d.lnum) },
}
local responses = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 30000) or {}
result.code_actions = {}
local applied = false
for _, response in pairs(responses) do
  for _, action in ipairs(response.result or {}) do
    table.insert(result.code_actions, { title = action.title, kind = action.kind, preferred = action.isPreferred })
    if action.kind == "quickfix" and action.isPreferred and not applied then
      -- As Neovim's own code_action does: an action without its edit is resolved first
      -- (Neovim announces codeAction.resolveSupport for "edit").
      if not action.edit then
        local resolved = vim.lsp.buf_request_sync(buf, "codeAction/resolve", action, 30000) or {}
        for _, answer in pairs(resolved) do
          if answer.result and answer.result.edit then action = answer.result end
        end
        result.resolved = action.edit ~= nil
      end
      if action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
        applied = true
      end
    end
  end
end
result.text_after_fix = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
if not applied then
  result.error = "no preferred quick fix"
  return finish(3)
end

-- Neovim sends the edit as an incremental didChange; the server re-lints and clears the diagnostic
ok = vim.wait(60000, function() return #vim.diagnostic.get(buf) == 0 end, 50)
result.diagnostics_after_fix = #vim.diagnostic.get(buf)
if not ok then
  result.error = "timeout waiting for the diagnostic to clear"
  return finish(4)
end
finish(0)
end

-- any Lua error ends Neovim with a non-zero status instead of leaving it waiting
local ok, err = pcall(run)
if not ok then
  result.error = tostring(err)
  finish(5)
end
