import Foundation
import Logging
import MeshKit

extension RedisConnectionOptions {
    /// The connection metadata Dapr's Redis components share.
    static let metadataNames: Set<String> = [
        "redishost", "redispassword", "redisusername", "redisdb", "dialtimeout", "readtimeout",
        "writetimeout", "poolsize", "redismaxretries", "redisminretryinterval", "redismaxretryinterval",
        "enabletls", "redistype", "failover",
    ]

    /// Reads Dapr's connection metadata; a bad value throws an error naming the field.
    init(metadata: ComponentMetadata) throws(MeshError) {
        let host = try metadata.required("redisHost")
        guard let endpoint = RedisEndpoint(host) else {
            throw metadata.invalid("redisHost", host, "host:port (such as localhost:6379) or a Unix socket path")
        }
        self.init(endpoint: endpoint)
        password = metadata["redisPassword"]
        username = metadata["redisUsername"]
        database = try Self.atLeast(0, "redisDB", metadata.int("redisDB", default: 0), metadata)
        dialTimeout = try Self.positive("dialTimeout", metadata.duration("dialTimeout", default: .seconds(5)), metadata)
        readTimeout = try Self.positive("readTimeout", metadata.duration("readTimeout", default: .seconds(3)), metadata)
        writeTimeout = try Self.positive("writeTimeout", metadata.duration("writeTimeout", default: readTimeout), metadata)
        poolSize = try Self.atLeast(1, "poolSize", metadata.int("poolSize", default: 2), metadata)
        // go-redis reads -1 as "no retries".
        maxRetries = max(try Self.atLeast(-1, "redisMaxRetries", metadata.int("redisMaxRetries", default: 3), metadata), 0)
        minRetryInterval = try Self.notNegative(
            "redisMinRetryInterval",
            metadata.duration("redisMinRetryInterval", default: .milliseconds(8)),
            metadata
        )
        maxRetryInterval = try Self.notNegative(
            "redisMaxRetryInterval",
            metadata.duration("redisMaxRetryInterval", default: .milliseconds(512)),
            metadata
        )
        if try metadata.bool("enableTLS", default: false) {
            throw metadata.invalid("enableTLS", "true", "false: the hiredis this module links has no TLS")
        }
        if try metadata.bool("failover", default: false) {
            throw metadata.invalid("failover", "true", "false: Redis Sentinel is not supported yet")
        }
        if let type = metadata["redisType"], !type.isEmpty, type.lowercased() != "node" {
            throw metadata.invalid("redisType", type, "node: Redis Cluster is not supported yet")
        }
    }

    private static func atLeast(_ minimum: Int, _ name: String, _ value: Int, _ metadata: ComponentMetadata) throws(MeshError) -> Int {
        guard value >= minimum else { throw metadata.invalid(name, String(value), "a whole number of at least \(minimum)") }
        return value
    }

    private static func positive(_ name: String, _ value: Duration, _ metadata: ComponentMetadata) throws(MeshError) -> Duration {
        guard value > .zero else { throw metadata.invalid(name, "\(value)", "a positive duration such as 3s") }
        return value
    }

    private static func notNegative(_ name: String, _ value: Duration, _ metadata: ComponentMetadata) throws(MeshError) -> Duration {
        guard value >= .zero else { throw metadata.invalid(name, "\(value)", "a duration of zero or more") }
        return value
    }
}

extension ComponentMetadata {
    /// Logs, at debug level, every field the component does not use; Dapr accepts those too.
    func logUnknownFields(known: Set<String>, logger: Logger) {
        for name in names where !known.contains(name) {
            logger.debug("ignoring metadata the component does not use", metadata: ["field": "\(name)"])
        }
    }
}
