extension ResourceNode {
    /// The member `key` as a Go duration that must not be negative, as Istio's duration fields
    /// (timeouts, idle times) must not be; `nil` when absent.
    func nonNegativeDuration(_ key: String) throws(MeshError) -> Duration? {
        guard let field = try child(key) else { return nil }
        let value = try field.duration()
        guard value >= .zero else {
            throw field.error(.malformedResource, "'\(field.path)' must not be a negative duration")
        }
        return value
    }
}
