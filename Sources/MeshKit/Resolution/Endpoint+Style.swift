extension Endpoint {
    /// How the peer at an endpoint expects an invocation's URL.
    public struct Style: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A MeshKit `MeshHTTPServer` (MeshKitHTTP) or a Dapr sidecar:
        /// `http://host:port/v1.0/invoke/{appID}/method/{method}?{query}`.
        public static let meshKit = Style("meshKit")
        /// A plain HTTP server with no mesh in front of it: the method is the path,
        /// `http://host:port/{method}?{query}`.
        public static let direct = Style("direct")

        /// The style named `name` (`meshKit`, `dapr` or `direct`, case-insensitive).
        public init?(named name: String) {
            switch name.lowercased() {
            case "meshkit", "dapr": self = .meshKit
            case "direct": self = .direct
            default: return nil
            }
        }

        public var description: String { name }
    }
}
