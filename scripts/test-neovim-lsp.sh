#!/usr/bin/env bash
# A real editor against `sieve-lint lsp`: headless Neovim opens a script with
# a mistake, and the test asserts what the editor itself received:
#   - vim.diagnostic.get() holds missing-require (SL0203) on line 5;
#   - the quick fix offered for it applies, and the diagnostic goes away;
#   - completion after `require "fileinto";` offers `fileinto`.
# Installs Neovim from Debian when it is missing; skips with a message (exit 0)
# when it cannot. Not part of `cargo test`. Uses only the client API that
# Neovim 0.7 (Debian 12) and later have (vim.lsp.start_client).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nvim >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q neovim >/dev/null 2>&1 || true
    fi
fi
if ! command -v nvim >/dev/null 2>&1; then
    echo "SKIP: Neovim is not installed and could not be installed"
    exit 0
fi

cargo build --quiet --bin sieve-lint
bin="$PWD/target/debug/sieve-lint"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
script="$work/filter.sieve"
cat >"$script" <<'EOF'
require "fileinto";
if header :contains "subject" "x" {
    fileinto "Junk";
}
vacation "away";
EOF

cat >"$work/test.lua" <<'EOF'
local bin, script, out = _G.arg_bin, _G.arg_script, _G.arg_out
local results = {}
local function say(line) table.insert(results, line) end
local function finish(code)
  vim.fn.writefile(results, out)
  vim.cmd((code == 0) and "qall!" or ("cquit " .. code))
end
local function fail(msg) say("FAIL: " .. msg); finish(1) end

vim.cmd("edit " .. vim.fn.fnameescape(script))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = "sieve"
local client_id = vim.lsp.start_client({
  name = "sieve-lint",
  cmd = { bin, "lsp" },
  root_dir = vim.fn.fnamemodify(script, ":h"),
})
if not client_id then fail("the server did not start") return end
vim.lsp.buf_attach_client(buf, client_id)

local function wait(ms, cond) return vim.wait(ms, cond, 50) end

-- 1. Diagnostics: missing-require on line 5 (0-based 4).
local function codes()
  local seen = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(seen, string.format("%s@%d", tostring(d.code), d.lnum))
  end
  table.sort(seen)
  return table.concat(seen, ",")
end
if not wait(10000, function() return #vim.diagnostic.get(buf) > 0 end) then
  fail("no diagnostics arrived") return
end
say("diagnostics: " .. codes())
if codes() ~= "SL0203@4" then fail("expected SL0203@4, got " .. codes()) return end

-- 2. The quick fix applies.
local client = vim.lsp.get_client_by_id(client_id)
local d = vim.diagnostic.get(buf)[1]
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = d.lnum, character = d.col },
            ["end"] = { line = d.end_lnum, character = d.end_col } },
  context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, d.lnum) },
}
local resp = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 10000)
local fix
for _, r in pairs(resp or {}) do
  for _, action in ipairs(r.result or {}) do
    if action.kind == "quickfix" and action.edit and action.title:find("vacation") then
      fix = action
    end
  end
end
if not fix then fail("no quick fix for the missing require") return end
say("code action: " .. fix.title)
vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or "utf-16")
local first = vim.api.nvim_buf_get_lines(buf, 0, 1, false)[1]
say("line 1 after the fix: " .. first)
if first ~= 'require ["fileinto", "vacation"];' then fail("the fix did not apply") return end
if not wait(10000, function() return #vim.diagnostic.get(buf) == 0 end) then
  fail("diagnostics after the fix: " .. codes()) return
end
say("diagnostics after the fix: none")

-- 3. Completion of a command after the require.
vim.api.nvim_buf_set_lines(buf, -1, -1, false, { "fil" })
local last = vim.api.nvim_buf_line_count(buf) - 1
local cparams = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = last, character = 3 },
}
local cresp = vim.lsp.buf_request_sync(buf, "textDocument/completion", cparams, 10000)
local offered = false
for _, r in pairs(cresp or {}) do
  local items = r.result and (r.result.items or r.result) or {}
  for _, item in ipairs(items) do
    if item.label == "fileinto" then
      offered = true
      if item.additionalTextEdits and #item.additionalTextEdits > 0 then
        fail("fileinto is required already, yet the item adds a require") return
      end
    end
  end
end
if not offered then fail("completion did not offer fileinto") return end
say("completion: fileinto offered, no require edit")
finish(0)
EOF

out="$work/result.txt"
status=0
timeout 60 nvim --headless --clean \
    --cmd "lua _G.arg_bin = [[$bin]]; _G.arg_script = [[$script]]; _G.arg_out = [[$out]]" \
    -c "luafile $work/test.lua" >/dev/null 2>&1 || status=$?
echo "Neovim $(nvim --version | head -1)"
[ -f "$out" ] && sed 's/^/  /' "$out"
if [ "$status" != 0 ]; then
    echo "FAIL: nvim exited with $status"
    exit 1
fi
echo "PASS"
