public import HTTPTypes

/// Request headers that a route match reads by name. Names compare case-insensitively, as
/// HTTP header names do.
public protocol HTTPHeaderLookup {
    /// The value of the header `name`, or `nil` when the request has none; several fields of
    /// the same name read as one value, joined as HTTP joins them.
    func headerValue(for name: HTTPField.Name) -> String?
}

extension HTTPFields: HTTPHeaderLookup {
    /// The value of the header `name`, several fields joined with commas.
    public func headerValue(for name: HTTPField.Name) -> String? {
        self[name]
    }
}
