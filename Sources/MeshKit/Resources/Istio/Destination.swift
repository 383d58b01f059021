/// Istio's `Destination`: the host (here a Dapr app ID), optionally a subset that a
/// `DestinationRule` for that host defines, and a port.
public struct Destination: Sendable, Hashable {
    /// `host`: the app ID.
    public var host: String
    /// `subset`: a subset name of the host's `DestinationRule`.
    public var subset: String?
    /// `port.number`.
    public var port: Int?

    /// Creates a destination.
    public init(host: String, subset: String? = nil, port: Int? = nil) {
        self.host = host
        self.subset = subset
        self.port = port
    }

    init(node: ResourceNode) throws(MeshError) {
        self.init(
            host: try node.requiredString("host"),
            subset: try node.string("subset"),
            port: try node.child("port")?.int("number")
        )
    }
}

/// Istio's `HTTPRouteDestination`: a destination and its share of a route's calls.
public struct HTTPRouteDestination: Sendable, Hashable {
    /// `destination`.
    public var destination: Destination
    /// `weight`: the share of calls, relative to the route's other destinations (since Istio
    /// 1.15 weights need not add up to 100). A route's only destination takes every call.
    public var weight: Int
    /// `headers`: header operations for calls to this destination.
    public var headers: HeaderManipulation?

    /// Creates a route destination.
    public init(destination: Destination, weight: Int = 100, headers: HeaderManipulation? = nil) {
        self.destination = destination
        self.weight = weight
        self.headers = headers
    }

    /// Reads one entry of a route's `route` list; an absent weight is Istio's 0, or 100 for a
    /// route's only destination.
    init(node: ResourceNode, isOnly: Bool) throws(MeshError) {
        self.init(
            destination: try Destination(node: try node.required("destination")),
            weight: try node.int("weight") ?? (isOnly ? 100 : 0),
            headers: try node.child("headers").map { node throws(MeshError) in try HeaderManipulation(node: node) }
        )
    }
}

/// Istio's `HTTPRewrite`: what a route changes in a call before it goes out.
public struct HTTPRewrite: Sendable, Hashable {
    /// `uri`: replaces the matched part of the path (the matched prefix, or the whole path).
    public var uri: String?
    /// `authority`: replaces the `Host` header.
    public var authority: String?

    /// Creates a rewrite.
    public init(uri: String? = nil, authority: String? = nil) {
        self.uri = uri
        self.authority = authority
    }

    init(node: ResourceNode) throws(MeshError) {
        if let regex = try node.child("uriRegexRewrite") {
            throw regex.error(.malformedResource, "'\(regex.path)': MeshKit does not support regex rewrites; use 'uri'")
        }
        self.init(uri: try node.string("uri"), authority: try node.string("authority"))
        guard uri != nil || authority != nil else {
            throw node.error(.malformedResource, "'\(node.path)' must set 'uri' or 'authority'")
        }
    }
}
