/// The Lua scripts of ``RedisNameRegistry``. Both read the time from Redis itself (`TIME`), so
/// instances on machines whose clocks disagree still expire each other correctly.
///
/// Layout: one sorted set per app ID, `{keyPrefix}{appID}`. Each member is an endpoint's JSON; its
/// score is the time, in Unix milliseconds on the Redis server's clock, at which the entry dies
/// unless a heartbeat renews it. The set itself expires with its longest-lived member.
enum RedisRegistryScripts {
    /// `KEYS[1]` the app's set, `ARGV[1]` the endpoint's JSON, `ARGV[2]` the TTL in milliseconds.
    /// Drops dead members, renews this one, and keeps the set alive as long as its newest member.
    static let heartbeat = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
        local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
        redis.call('PEXPIREAT', KEYS[1], last[2])
        return 1
        """
    )

    /// `KEYS[1]` the app's set. The members that are still alive, oldest deadline first.
    static let live = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
        """
    )
}
