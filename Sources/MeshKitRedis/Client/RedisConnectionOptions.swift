/// How a connection reaches and talks to Redis: Dapr's connection metadata, typed.
struct RedisConnectionOptions: Sendable {
    /// The server.
    var endpoint: RedisEndpoint
    /// The ACL user name (`redisUsername`), for Redis 6 and later.
    var username: String?
    /// The password (`redisPassword`); never logged or put in an error.
    var password: String?
    /// The database number (`redisDB`).
    var database: Int = 0
    /// The longest a connect may take (`dialTimeout`, 5s).
    var dialTimeout: Duration = .seconds(5)
    /// The longest a reply may take (`readTimeout`, 3s).
    var readTimeout: Duration = .seconds(3)
    /// The longest a send may take (`writeTimeout`, the read timeout by default).
    var writeTimeout: Duration = .seconds(3)
    /// The connections per client (`poolSize`); each one is a thread pipelining every request queued on it.
    var poolSize: Int = 2
    /// How many more times a failed connect is tried before a call fails (`redisMaxRetries`, 3).
    var maxRetries: Int = 3
    /// The first pause between connect attempts (`redisMinRetryInterval`, 8ms); it doubles up to the maximum.
    var minRetryInterval: Duration = .milliseconds(8)
    /// The longest pause between connect attempts (`redisMaxRetryInterval`, 512ms).
    var maxRetryInterval: Duration = .milliseconds(512)

    /// The pause before connect attempt `attempt` (1 for the first retry).
    func backoff(attempt: Int) -> Duration {
        let factor = 1 << min(max(attempt - 1, 0), 20)
        return min(minRetryInterval * factor, maxRetryInterval)
    }
}

