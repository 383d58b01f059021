extension RedisStateStore {
    /// The Lua source of the script behind every write, delete and transaction (see the module's
    /// documentation of its arguments), for tools that replay it, such as `redis-benchmark`
    /// baselines.
    public static var writeScriptSource: String { RedisStateScripts.write.source }
}
