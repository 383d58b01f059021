import Foundation
import MeshKit

/// An ``Endpoint`` as a registry member: JSON with sorted keys, so that the same instance always
/// writes the same member and a heartbeat renews its entry instead of adding another.
struct RegisteredEndpoint: Codable {
    var host: String
    var port: Int
    var scheme: String
    var style: String
    var labels: [String: String]?

    init(_ endpoint: Endpoint) {
        host = endpoint.host
        port = endpoint.port
        scheme = endpoint.scheme.rawValue
        style = endpoint.style.description
        labels = endpoint.labels.isEmpty ? nil : endpoint.labels
    }

    /// The member's bytes.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The endpoint a member describes, or `nil` when it cannot be read.
    static func endpoint(from member: Data) -> Endpoint? {
        guard let entry = try? JSONDecoder().decode(RegisteredEndpoint.self, from: member),
            (1...65535).contains(entry.port),
            let scheme = Endpoint.Scheme(named: entry.scheme),
            let style = Endpoint.Style(named: entry.style)
        else { return nil }
        return Endpoint(host: entry.host, port: entry.port, scheme: scheme, style: style, labels: entry.labels ?? [:])
    }
}
