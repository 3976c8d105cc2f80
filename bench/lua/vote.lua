-- Vote and take the vote back, on the API with personal tokens.
-- Argument: a file of "token idea_id" lines, and the thread count. Each wrk thread has ONE
-- connection (-t N -c N), so its requests are strictly in order: POST, then DELETE of the
-- same vote, then the next pair. Pairs are split between threads, so no two threads share one.
local pairs_ = {}
local index = 1
local voting = true

function init(args)
  pairs_ = thread_lines(args[1], tid, tonumber(args[2]))
end

function request()
  local pair = split(pairs_[index])
  local path = "/api/v1/ideas/" .. pair[2] .. "/vote"
  local headers = { ["Authorization"] = "Bearer " .. pair[1], ["Accept"] = "application/json" }
  local method = "POST"
  if voting then
    voting = false
  else
    method = "DELETE"
    voting = true
    index = index % #pairs_ + 1
  end
  return wrk.format(method, path, headers)
end
