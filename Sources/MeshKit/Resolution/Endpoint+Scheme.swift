extension Endpoint {
    /// The URL scheme: an open set of `http` and `https`.
    public struct Scheme: Sendable, Hashable, CustomStringConvertible {
        /// The scheme as it appears in a URL.
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// Plain HTTP.
        public static let http = Scheme("http")
        /// HTTP over TLS.
        public static let https = Scheme("https")

        /// The scheme named `name` (case-insensitive), or `nil` when it is neither `http` nor
        /// `https`.
        public init?(named name: String) {
            switch name.lowercased() {
            case "http": self = .http
            case "https": self = .https
            default: return nil
            }
        }

        public var description: String { rawValue }
    }
}
