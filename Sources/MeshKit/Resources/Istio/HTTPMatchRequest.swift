public import Foundation
import HTTPTypes

/// One match block of an Istio `HTTPRoute`: every condition it sets must hold (they are ANDed).
///
/// `uri` matches the request path, with a leading `/` (a Dapr method name such as
/// `api/products/1` is the path `/api/products/1`); `method` matches the HTTP method; header
/// names compare case-insensitively; query parameters are matched by exact name, against the
/// first parameter of that name.
public struct HTTPMatchRequest: Sendable, Hashable {
    /// `name`, which Istio appends to the route's name in logs.
    public let name: String?
    /// `uri`: the request path.
    public let uri: StringMatch?
    /// `method`: the HTTP method, such as `GET`.
    public let method: StringMatch?
    /// `headers`, by header name as written.
    public let headers: [String: StringMatch]
    /// `queryParams`, by parameter name.
    public let queryParams: [String: StringMatch]
    /// The header conditions with their names parsed once, for a lookup without allocation.
    private let headerConditions: [HeaderCondition]

    /// Creates a match block; a header name that is not a valid HTTP field name never matches.
    public init(
        name: String? = nil,
        uri: StringMatch? = nil,
        method: StringMatch? = nil,
        headers: [String: StringMatch] = [:],
        queryParams: [String: StringMatch] = [:]
    ) {
        self.name = name
        self.uri = uri
        self.method = method
        self.headers = headers
        self.queryParams = queryParams
        self.headerConditions = headers.sorted { $0.key < $1.key }.map {
            HeaderCondition(name: HTTPField.Name($0.key), match: $0.value)
        }
    }

    /// Whether a request matches every condition of this block.
    ///
    /// - Parameters:
    ///   - method: the HTTP method, such as `GET`.
    ///   - path: the request path or Dapr method name; a missing leading `/` is implied.
    ///   - headers: the request headers.
    ///   - query: the query parameters.
    public func matches(method: String, path: String, headers: some HTTPHeaderLookup, query: [URLQueryItem]) -> Bool {
        if let uri {
            let matched = path.utf8.first == UInt8(ascii: "/") ? uri.matches(path) : uri.matches(slashPrefixed: path)
            guard matched else { return false }
        }
        if let methodMatch = self.method, !methodMatch.matches(method) { return false }
        for condition in headerConditions {
            guard let name = condition.name, let value = headers.headerValue(for: name), condition.match.matches(value) else {
                return false
            }
        }
        for (name, match) in queryParams {
            guard let item = query.first(where: { $0.name == name }), match.matches(item.value ?? "") else { return false }
        }
        return true
    }
}

/// A header condition with its name parsed.
private struct HeaderCondition: Sendable, Hashable {
    let name: HTTPField.Name?
    let match: StringMatch
}

extension HTTPMatchRequest {
    /// The match fields MeshKit does not apply; ignoring one would widen the match, so each is
    /// refused rather than dropped.
    static let unsupportedFields = [
        "scheme", "authority", "port", "sourceLabels", "gateways", "withoutHeaders", "sourceNamespace",
    ]

    /// Reads one entry of an `HTTPRoute`'s `match` list.
    init(node: ResourceNode) throws(MeshError) {
        for field in Self.unsupportedFields {
            if let present = try node.child(field) {
                throw present.error(.malformedResource, "'\(present.path)': MeshKit does not support the '\(field)' match condition")
            }
        }
        if try node.bool("ignoreUriCase") == true {
            let field = try node.required("ignoreUriCase")
            throw field.error(.malformedResource, "'\(field.path)': MeshKit does not support case-insensitive URI matches")
        }
        var headers: [String: StringMatch] = [:]
        for (key, value) in try node.members("headers") {
            guard HTTPField.Name(key) != nil else {
                throw value.error(.malformedResource, "'\(value.path)': '\(key)' is not a valid HTTP header name")
            }
            headers[key] = try StringMatch(node: value)
        }
        var queryParams: [String: StringMatch] = [:]
        for (key, value) in try node.members("queryParams") {
            queryParams[key] = try StringMatch(node: value)
        }
        self.init(
            name: try node.string("name"),
            uri: try node.child("uri").map { node throws(MeshError) in try StringMatch(node: node) },
            method: try node.child("method").map { node throws(MeshError) in try StringMatch(node: node) },
            headers: headers,
            queryParams: queryParams
        )
    }
}
