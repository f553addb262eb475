-- wrk: each request asks for PREFIX .. an id from the file IDS, at random (so a run reads many
-- records, not one cached row). A line "ID SESSION" also signs the request in as that session
-- (many offices' users at once).
local picks = {}
for line in io.lines(os.getenv("IDS")) do
  local id, session = line:match("^(%S+)%s*(%S*)$")
  if id then picks[#picks + 1] = { id, session } end
end
local prefix = os.getenv("PREFIX")
function init(args)
  math.randomseed(os.time() + tonumber(tostring(picks):match("0x(%x+)") or "0", 16) % 100000)
end
function request()
  local p = picks[math.random(#picks)]
  if p[2] ~= "" then
    return wrk.format(nil, prefix .. p[1], { Cookie = "yorisoi_session=" .. p[2] })
  end
  return wrk.format(nil, prefix .. p[1])
end
