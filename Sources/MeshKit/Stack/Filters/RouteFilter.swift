import HTTPTypes

/// A VirtualService route, applied to each attempt: the weighted destination (so a retry may go
/// to another subset, as in Envoy), the request and response header changes, the URI rewrite,
/// and the mirror.
///
/// The destination's host becomes the request's app ID: a route may send an app's calls to
/// another app, as Istio sends a host's traffic to another service.
final class RouteFilter: ChangingCallFilter {
    let route: HTTPRoute
    let mirrors: MirrorSender?

    /// For each destination, whether the route's rewrite or headers change the request when it
    /// is picked (besides its host), and whether they change the response.
    private let changesRequest: [Bool]
    private let changesResponse: [Bool]

    init(route: HTTPRoute, mirrors: MirrorSender?) {
        self.route = route
        self.mirrors = mirrors
        let routeChanges = route.rewrite?.uri != nil || route.headers?.request.isEmpty == false
        self.changesRequest = route.route.map { routeChanges || $0.headers?.request.isEmpty == false }
        self.changesResponse = route.route.map { route.headers?.response.isEmpty == false || $0.headers?.response.isEmpty == false }
    }

    func passesThrough<Result: Sendable>(_ call: MeshCall<Result>) -> Bool {
        !call.isInvocation
    }

    /// The ticket is the index of the destination picked, whose response headers `exit` applies.
    func enter<Result: Sendable>(_ call: inout MeshCall<Result>) throws -> FilterTicket? {
        guard let appID = call.invokedAppID else { return FilterTicket.none }
        var generator = FastRandom.Generator()
        guard let index = route.destinationIndex(roll: Double.random(in: 0..<1, using: &generator)) else {
            // Every weight is 0: Envoy answers 503, "no healthy upstream".
            throw MeshError(.unavailable, "every destination of the route to \(call.target) has weight 0")
        }
        let picked = route.route[index]
        if changesRequest[index] || picked.destination.host != appID, var request = call.invocation {
            change(&request, toward: picked)
            call.invocation = request
        }
        if let mirror = route.mirror, let mirrors, Double.random(in: 0..<100, using: &generator) < route.mirrorPercentage,
            let request = call.invocation
        {
            mirrors.send(request, to: mirror)
        }
        call.destination = picked.destination
        return FilterTicket(number: Int64(index))
    }

    /// Applies the route's rewrite and request headers, and `picked`'s, to `request`, and aims it
    /// at `picked`'s host.
    private func change(_ request: inout InvocationRequest, toward picked: HTTPRouteDestination) {
        if let rewrite = route.rewrite?.uri { request.method = rewritten(request, to: rewrite) }
        if let operations = route.headers?.request, !operations.isEmpty { operations.apply(to: &request.headers) }
        if let operations = picked.headers?.request, !operations.isEmpty { operations.apply(to: &request.headers) }
        if picked.destination.host != request.appID {
            request.appID = picked.destination.host
            request.headers[.daprCalleeAppID] = picked.destination.host
        }
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, returning result: inout Result) {
        let index = Int(ticket.number)
        guard call.isInvocation, changesResponse[index], var response = result as? InvocationResponse else { return }
        let picked = route.route[index]
        route.headers?.response.apply(to: &response.headers)
        picked.headers?.response.apply(to: &response.headers)
        if let changed = response as? Result { result = changed }
    }

    /// The method after `rewrite.uri`: the prefix the call matched replaced by `rewrite`, or the
    /// whole path when it matched otherwise, as Istio rewrites.
    private func rewritten(_ request: InvocationRequest, to rewrite: String) -> String {
        let path = "/" + request.method
        let matched = route.match.first {
            $0.matches(method: request.httpMethod.rawValue, path: path, headers: request.headers, query: request.query)
        }
        let newPath: String
        if let uri = matched?.uri, uri.kind == .prefix, path.hasPrefix(uri.value) {
            newPath = rewrite + path.dropFirst(uri.value.count)
        } else {
            newPath = rewrite
        }
        return String(newPath.drop { $0 == "/" })
    }
}

extension HeaderOperations {
    /// Whether the operations change nothing.
    var isEmpty: Bool { self.set.isEmpty && add.isEmpty && remove.isEmpty }

    /// Applies the operations in Istio's order: set, add, remove.
    func apply(to headers: inout HTTPFields) {
        for (name, value) in self.set {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        for (name, value) in add {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        for name in remove {
            if let field = HTTPField.Name(name) { headers[field] = nil }
        }
    }
}

extension StackModule {
    static let route = StackModule(name: .route) { context in
        context.routing?.route.map { RouteFilter(route: $0, mirrors: context.routing?.mirrors) }
    }
}
