import MeshKit

/// The settings of `pubsub.rabbitmq`, from the metadata components-contrib's `pubsub/rabbitmq`
/// reads, with its defaults.
struct RabbitMQSettings: Sendable {
    /// How handlers run: `parallel` (up to the subscription's concurrency) or `single` (one at a time).
    enum ConcurrencyMode: String, Sendable {
        case parallel, single
    }

    /// The broker: `connectionString`, or the older `host`, or `protocol`/`hostname`/`username`/`password`.
    var endpoint: RabbitMQEndpoint
    /// The queue prefix (`consumerID`); the app ID by default.
    var consumerID: String?
    /// Declares the queues durable (`durable`, false); exchanges always are, as in Dapr.
    var durable: Bool
    /// Declares the queues auto-delete (`deletedWhenUnused`, true).
    var deletedWhenUnused: Bool
    /// Consumes without acknowledgements (`autoAck`, false): at-most-once.
    var autoAck: Bool
    /// AMQP delivery mode of published messages (`deliveryMode`: 0 unset, 1 transient, 2 persistent).
    var deliveryMode: Int
    /// Requeues a message the app failed (`requeueInFailure`, false). See ``RabbitMQPubSub``.
    var requeueInFailure: Bool
    /// `basic.qos` prefetch count (`prefetchCount`, 0: no limit).
    var prefetchCount: Int
    /// `concurrencyMode` (parallel).
    var concurrencyMode: ConcurrencyMode
    /// Waits for the broker's confirm of each publish (`publisherConfirm`, false).
    var publisherConfirm: Bool
    /// `x-max-length` (`maxLen`; 0 or absent: none).
    var maxLen: Int64?
    /// `x-max-length-bytes` (`maxLenBytes`; 0 or absent: none).
    var maxLenBytes: Int64?
    /// The AMQP `expiration` of published messages whose own metadata sets no `ttlInSeconds`
    /// (`ttlInSeconds`: Dapr's default message TTL, not a queue argument).
    var defaultMessageTTL: Duration?
    /// The connection name the broker shows (`clientName`).
    var clientName: String?
    /// AMQP heartbeat (`heartBeat`, 10s).
    var heartbeat: Duration
    /// The pause before reconnecting (`reconnectWait`, 3s; a bare number is seconds, as Dapr reads it).
    var reconnectWait: Duration
    /// The exchange kind (`exchangeKind`, fanout).
    var exchangeKind: String
    /// Declares the dead-letter exchange `dlx-{queue}` and queue `dlq-{queue}` (`enableDeadLetter`, false).
    var enableDeadLetter: Bool

    /// Every metadata field this component reads, lower-cased.
    static let metadataNames: Set<String> = [
        "connectionstring", "host", "protocol", "hostname", "username", "password", "consumerid", "durable",
        "deletedwhenunused", "autoack", "deliverymode", "requeueinfailure", "prefetchcount", "concurrencymode",
        "publisherconfirm", "maxlen", "maxlenbytes", "ttlinseconds", "clientname", "heartbeat", "reconnectwait",
        "exchangekind", "enabledeadletter",
    ]

    /// The exchange kinds Dapr declares (`x-consistent-hash` needs the broker's plugin).
    static let exchangeKinds: Set<String> = ["fanout", "topic", "direct", "headers", "x-consistent-hash"]

    /// Reads the metadata; a bad value throws an error naming the field and the file.
    init(metadata: ComponentMetadata) throws(MeshError) {
        endpoint = try Self.endpoint(metadata)
        consumerID = metadata["consumerID"].flatMap { $0.isEmpty ? nil : $0 }
        durable = try metadata.bool("durable", default: false)
        deletedWhenUnused = try metadata.bool("deletedWhenUnused", default: true)
        autoAck = try metadata.bool("autoAck", default: false)
        deliveryMode = try metadata.int("deliveryMode", default: 0)
        guard (0...2).contains(deliveryMode) else { throw metadata.invalid("deliveryMode", String(deliveryMode), "0, 1 or 2") }
        requeueInFailure = try metadata.bool("requeueInFailure", default: false)
        prefetchCount = try metadata.int("prefetchCount", default: 0)
        guard (0...65535).contains(prefetchCount) else {
            throw metadata.invalid("prefetchCount", String(prefetchCount), "a whole number from 0 to 65535")
        }
        let mode = metadata["concurrencyMode"].flatMap { $0.isEmpty ? nil : $0 } ?? "parallel"
        guard let concurrencyMode = ConcurrencyMode(rawValue: mode.lowercased()) else {
            throw metadata.invalid("concurrencyMode", mode, "parallel or single")
        }
        self.concurrencyMode = concurrencyMode
        publisherConfirm = try metadata.bool("publisherConfirm", default: false)
        maxLen = try Self.optionalCount("maxLen", metadata)
        maxLenBytes = try Self.optionalCount("maxLenBytes", metadata)
        defaultMessageTTL = try Self.optionalCount("ttlInSeconds", metadata).map { .seconds($0) }
        clientName = metadata["clientName"].flatMap { $0.isEmpty ? nil : $0 }
        heartbeat = try metadata.duration("heartBeat", default: .seconds(10))
        guard heartbeat >= .zero else { throw metadata.invalid("heartBeat", "\(heartbeat)", "a duration of zero or more") }
        reconnectWait = try Self.seconds("reconnectWait", metadata, default: .seconds(3))
        let kind = metadata["exchangeKind"].flatMap { $0.isEmpty ? nil : $0 } ?? "fanout"
        guard Self.exchangeKinds.contains(kind) else {
            throw metadata.invalid("exchangeKind", kind, "one of \(Self.exchangeKinds.sorted().joined(separator: ", "))")
        }
        exchangeKind = kind
        enableDeadLetter = try metadata.bool("enableDeadLetter", default: false)
    }

    /// `connectionString` (or `host`), else `protocol://username:password@hostname`.
    private static func endpoint(_ metadata: ComponentMetadata) throws(MeshError) -> RabbitMQEndpoint {
        let field =
            metadata["connectionString"].flatMap { $0.isEmpty ? nil : "connectionString" }
            ?? metadata["host"].flatMap { $0.isEmpty ? nil : "host" }
        let url: String
        if let field {
            url = metadata[field] ?? ""
        } else if let hostname = metadata["hostname"], !hostname.isEmpty {
            let scheme = metadata["protocol"].flatMap { $0.isEmpty ? nil : $0 } ?? "amqp"
            var credentials = ""
            if let user = metadata["username"], !user.isEmpty {
                let password =
                    metadata["password"].map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed) ?? $0) } ?? ""
                credentials = (user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? user) + password + "@"
            }
            url = "\(scheme)://\(credentials)\(hostname)"
        } else {
            _ = try metadata.required("connectionString")
            url = ""
        }
        guard let endpoint = RabbitMQEndpoint(url: url) else {
            throw metadata.invalid(
                field ?? "hostname",
                url,
                "an amqp:// URL such as amqp://user:password@localhost:5672 (amqps is not supported yet)"
            )
        }
        return endpoint
    }

    /// A count where 0 or absent means none.
    private static func optionalCount(_ name: String, _ metadata: ComponentMetadata) throws(MeshError) -> Int64? {
        let value = try metadata.int(name, default: 0)
        guard value >= 0 else { throw metadata.invalid(name, String(value), "a whole number of zero or more") }
        return value > 0 ? Int64(value) : nil
    }

    /// A duration where a bare number counts seconds.
    private static func seconds(_ name: String, _ metadata: ComponentMetadata, default defaultValue: Duration) throws(MeshError) -> Duration
    {
        if let text = metadata[name], let seconds = Int(text) {
            guard seconds >= 0 else { throw metadata.invalid(name, text, "a duration of zero or more") }
            return .seconds(seconds)
        }
        let value = try metadata.duration(name, default: defaultValue)
        guard value >= .zero else { throw metadata.invalid(name, "\(value)", "a duration of zero or more") }
        return value
    }
}
