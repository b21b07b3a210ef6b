namespace Shared.RateLimiting;

/// <summary>
/// The cluster-wide decision, atomic in Redis: the generic cell rate algorithm over every bucket of a request. Each
/// key holds its bucket's theoretical arrival time (TAT) in microseconds of Redis's own clock, so instances with
/// skewed clocks still share one budget. A request is allowed when no bucket's TAT runs more than a window ahead of
/// now; only then are the TATs moved on, so a refusal costs no bucket anything. A key expires once its bucket is full
/// again, which is also when it would read as absent.
/// The TAT is written with string.format: Redis would write a Lua number with 14 significant digits, 100 µs steps.
/// ARGV holds, per key, the interval (window / limit, µs) and the limit. The answer is {allowed, limit, remaining,
/// reset µs, retry-after µs} for the bucket with the least left.
/// </summary>
internal static class GcraScript
{
    public const string Source = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local allowed = 1
        local retry = 0
        local tats = {}
        for i, key in ipairs(KEYS) do
          local interval = tonumber(ARGV[2 * i - 1])
          local limit = tonumber(ARGV[2 * i])
          local tat = math.max(tonumber(redis.call('GET', key) or now), now)
          tats[i] = tat
          local allowAt = tat + interval - limit * interval
          if now < allowAt then
            allowed = 0
            retry = math.max(retry, allowAt - now)
          end
        end
        local tightLimit, tightLeft, reset = 0, -1, 0
        for i, key in ipairs(KEYS) do
          local interval = tonumber(ARGV[2 * i - 1])
          local limit = tonumber(ARGV[2 * i])
          local tat = tats[i]
          if allowed == 1 then
            tat = tat + interval
            redis.call('SET', key, string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000))
          end
          local left = math.max(0, math.floor((now - (tat - limit * interval)) / interval))
          if tightLeft < 0 or left < tightLeft then
            tightLimit, tightLeft = limit, left
          end
          reset = math.max(reset, tat - now)
        end
        return {allowed, tightLimit, tightLeft, reset, retry}
        """;
}
