-- Post a comment on the API with personal tokens, cycling through people and ideas.
-- Argument: a file of "token idea_id" lines, and the thread count.
local pairs_ = {}
local index = 1
local n = 0
local run = ""

function init(args)
  pairs_ = thread_lines(args[1], tid, tonumber(args[2]))
  -- The same person may not post the same text twice within an hour: each run says its time.
  run = args[3] or tostring(os.time())
end

function request()
  local pair = split(pairs_[index])
  index = index % #pairs_ + 1
  n = n + 1
  local body = string.format(
    '{"body": "Godt forslag, dette støtter jeg. Målingskommentar %d fra tråd %d i kjøring %s."}', n, tid, run)
  local headers = {
    ["Authorization"] = "Bearer " .. pair[1],
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
  }
  return wrk.format("POST", "/api/v1/ideas/" .. pair[2] .. "/comments", headers, body)
end
