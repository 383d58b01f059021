public import Foundation

/// Istio's `HTTPRoute`: match conditions and what to do with the calls that meet them.
public struct HTTPRoute: Sendable, Hashable {
    /// `name`.
    public var name: String?
    /// `match`: the blocks, any of which admits a call (they are ORed); none admits every call.
    public var match: [HTTPMatchRequest]
    /// `route`: the weighted destinations.
    public var route: [HTTPRouteDestination]
    /// `retries`; `nil` is Istio's default retry policy.
    public var retries: HTTPRetry?
    /// `timeout`: the time the whole call may take, across every retry; `nil` is none.
    public var timeout: Duration?
    /// `fault`: faults to inject into the calls.
    public var fault: FaultInjection?
    /// `mirror`: where a copy of each call goes, its answer dropped.
    public var mirror: Destination?
    /// `mirrorPercentage.value`: the percentage of calls mirrored, from 0 to 100; Istio's
    /// default is 100.
    public var mirrorPercentage: Double
    /// `headers`: header operations for every call of the route.
    public var headers: HeaderManipulation?
    /// `rewrite`.
    public var rewrite: HTTPRewrite?

    /// Creates a route.
    public init(
        name: String? = nil,
        match: [HTTPMatchRequest] = [],
        route: [HTTPRouteDestination],
        retries: HTTPRetry? = nil,
        timeout: Duration? = nil,
        fault: FaultInjection? = nil,
        mirror: Destination? = nil,
        mirrorPercentage: Double = 100,
        headers: HeaderManipulation? = nil,
        rewrite: HTTPRewrite? = nil
    ) {
        self.name = name
        self.match = match
        self.route = route
        self.retries = retries
        self.timeout = timeout
        self.fault = fault
        self.mirror = mirror
        self.mirrorPercentage = mirrorPercentage
        self.headers = headers
        self.rewrite = rewrite
    }

    /// Whether a call matches any block of ``match``; a route without blocks matches every call.
    public func matches(method: String, path: String, headers: some HTTPHeaderLookup, query: [URLQueryItem]) -> Bool {
        match.isEmpty || match.contains { $0.matches(method: method, path: path, headers: headers, query: query) }
    }

    /// The destination a call goes to for `roll`, a number from 0 up to 1: each destination
    /// takes `weight / sum of weights` of the range, in order, so a weight of 0 is never
    /// picked. A route's only destination is always picked; `nil` when there is none or every
    /// weight is 0.
    public func pickDestination(roll: Double) -> HTTPRouteDestination? {
        destinationIndex(roll: roll).map { route[$0] }
    }

    /// The index in ``route`` of the destination ``pickDestination(roll:)`` picks.
    func destinationIndex(roll: Double) -> Int? {
        if route.count == 1 { return 0 }
        // Summed as Double, so that weights as large as Int allows cannot overflow.
        var total = 0.0
        for destination in route where destination.weight > 0 { total += Double(destination.weight) }
        guard total > 0 else { return nil }
        let point = min(max(roll, 0), 1) * total
        var end = 0.0
        var last: Int?
        for (index, destination) in route.enumerated() where destination.weight > 0 {
            end += Double(destination.weight)
            last = index
            if point < end { return index }
        }
        return last
    }

    /// The destination a call goes to, rolled with `generator`.
    public func pickDestination<R: RandomNumberGenerator>(using generator: inout R) -> HTTPRouteDestination? {
        pickDestination(roll: Double.random(in: 0..<1, using: &generator))
    }

    /// The destination a call goes to, rolled with a fast generator seeded from the system's
    /// (no system call per roll).
    public func pickDestination() -> HTTPRouteDestination? {
        var generator = FastRandom.Generator()
        return pickDestination(using: &generator)
    }
}

extension HTTPRoute {
    /// The `HTTPRoute` fields MeshKit refuses rather than ignores, since ignoring them would
    /// send calls somewhere the resource does not mean.
    static let unsupportedFields = ["redirect", "directResponse", "delegate", "mirrors"]

    /// Reads one entry of a `VirtualService`'s `http` list, recording the lines later checks need.
    init(node: ResourceNode, lines: inout FieldLines) throws(MeshError) {
        lines.record(node)
        for field in Self.unsupportedFields {
            if let present = try node.child(field) {
                throw present.error(.malformedResource, "'\(present.path)': MeshKit does not support '\(field)' in an HTTP route")
            }
        }
        var match: [HTTPMatchRequest] = []
        for item in try node.items("match") {
            match.append(try HTTPMatchRequest(node: item))
        }
        let routeNode = try node.child("route")
        lines.record(routeNode)
        let routeItems = try routeNode?.items() ?? []
        guard !routeItems.isEmpty else {
            throw node.error(.missingField, "'\(node.path).route' must name at least one destination")
        }
        var route: [HTTPRouteDestination] = []
        for item in routeItems {
            lines.record(item)
            lines.record(try item.child("weight"))
            lines.record(try item.child("destination")?.child("subset"))
            route.append(try HTTPRouteDestination(node: item, isOnly: routeItems.count == 1))
        }
        let mirrorNode = try node.child("mirror")
        lines.record(try mirrorNode?.child("subset"))
        var mirrorPercentage = 100.0
        if let percentage = try node.child("mirrorPercentage") {
            guard let value = Double(try percentage.string("value") ?? ""), (0...100).contains(value) else {
                throw percentage.error(.malformedResource, "'\(percentage.path).value' must be a number from 0 to 100")
            }
            mirrorPercentage = value
        }
        let retriesNode = try node.child("retries")
        lines.record(try retriesNode?.child("attempts"))
        self.init(
            name: try node.string("name"),
            match: match,
            route: route,
            retries: try retriesNode.map { node throws(MeshError) in try HTTPRetry(node: node) },
            timeout: try node.nonNegativeDuration("timeout"),
            fault: try node.child("fault").map { node throws(MeshError) in try FaultInjection(node: node) },
            mirror: try mirrorNode.map { node throws(MeshError) in try Destination(node: node) },
            mirrorPercentage: mirrorPercentage,
            headers: try node.child("headers").map { node throws(MeshError) in try HeaderManipulation(node: node) },
            rewrite: try node.child("rewrite").map { node throws(MeshError) in try HTTPRewrite(node: node) }
        )
    }
}
