-- wrk script of bench/multi.sh: counts the responses by status and by X-Cache-Status
-- (nginx's $upstream_cache_status; "-" when absent), and prints one JSON line at the end.
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    cache = {}
    statuses = {}
end

function response(status, headers, body)
    local c = headers["X-Cache-Status"] or headers["x-cache-status"] or "-"
    cache[c] = (cache[c] or 0) + 1
    local s = tostring(status)
    statuses[s] = (statuses[s] or 0) + 1
end

local function add(into, from)
    for k, v in pairs(from or {}) do
        into[k] = (into[k] or 0) + v
    end
end

local function object(t)
    local parts = {}
    for k, v in pairs(t) do
        table.insert(parts, string.format('"%s": %d', k, v))
    end
    table.sort(parts)
    return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
    local all_cache, all_statuses = {}, {}
    for _, thread in ipairs(threads) do
        add(all_cache, thread:get("cache"))
        add(all_statuses, thread:get("statuses"))
    end
    local e = summary.errors
    io.write(string.format(
        '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, '
            .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
            .. '"statuses": %s, "cache": %s}\n',
        summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        e.connect, e.read, e.write, e.status, e.timeout, object(all_statuses), object(all_cache)))
end
