/// The path an HTTP server's router matches: the request's path as it came, split at `/`, with
/// no segment decoded or resolved (Hummingbird's router, for one).
enum RoutedPath {
    /// Whether `path` has a `.` or `..` segment, plain or percent-encoded (`%2e`), between
    /// slashes or backslashes. Istio's normalization resolves those before authorization, and
    /// Envoy routes the resolved path; a router that takes the path as it came would not, so
    /// `/admin/../health/live` would be authorized as `/health/live` and run a route under
    /// `/admin`.
    static func hasDotSegment(_ path: String) -> Bool {
        // One pass over the bytes, allocating nothing: it runs on every request.
        var dots = 0
        var isDotsOnly = true
        var bytes = path.utf8.makeIterator()
        while let byte = bytes.next() {
            switch byte {
            case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "?"):
                if isDotsOnly && (dots == 1 || dots == 2) { return true }
                if byte == UInt8(ascii: "?") { return false }
                (dots, isDotsOnly) = (0, true)
            case UInt8(ascii: "."):
                dots += 1
            case UInt8(ascii: "%"):
                // `%2e` or `%2E` is a dot; any other escape is not.
                if bytes.next() == UInt8(ascii: "2"), let low = bytes.next(), low | 0x20 == UInt8(ascii: "e") {
                    dots += 1
                } else {
                    isDotsOnly = false
                }
            default:
                isDotsOnly = false
            }
        }
        return isDotsOnly && (dots == 1 || dots == 2)
    }
}
