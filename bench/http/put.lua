-- wrk script: PUT a 128-byte value to a rotating set of keys.
local value = string.rep("x", 128)
local n = 0
request = function()
  n = n + 1
  return wrk.format("PUT", "/v1/kv/bench/put/" .. (n % 1000), nil, value)
end
