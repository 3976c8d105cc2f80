-- GET the URL, with optional extra headers given as arguments ("Cookie: session=...").
function init(args)
  for _, header in ipairs(args) do
    local name, value = string.match(header, "^([^:]+):%s*(.*)$")
    if name then
      wrk.headers[name] = value
    end
  end
end
