/// The path an HTTP server's router matches: the request's path as it came, split at `/`, with
/// no segment decoded or resolved (Hummingbird's router, for one).
enum RoutedPath {
    /// Whether `path` has a `.` or `..` segment, plain or percent-encoded (`%2e`), between
    /// slashes or backslashes. Istio's normalization resolves those before authorization, and
    /// Envoy routes the resolved path; a router that takes the path as it came would not, so
    /// `/admin/../health/live` would be authorized as `/health/live` and run a route under
    /// `/admin`.
    static func hasDotSegment(_ path: String) -> Bool {
        let pathOnly = path.prefix { $0 != "?" }
        return pathOnly.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }.contains { segment in
            let decoded = segment.lowercased().replacing("%2e", with: ".")
            return decoded == "." || decoded == ".."
        }
    }
}
