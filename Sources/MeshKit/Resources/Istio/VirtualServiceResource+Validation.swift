extension VirtualServiceResource {
    /// Istio's checks of one virtual service's values: weights from 0 to 2³¹−1 and, across several
    /// destinations, not all 0; retry attempts not negative, and no retry settings with 0 attempts.
    func validate() throws(MeshError) {
        for (routeIndex, route) in http.enumerated() {
            let routePath = "spec.http[\(routeIndex)]"
            for (index, destination) in route.route.enumerated() where !(0...Int(Int32.max)).contains(destination.weight) {
                throw header.error(
                    destination.weight < 0
                        ? "a route weight must not be negative, not \(destination.weight)"
                        : "a route weight must be at most \(Int32.max), as Istio's weights are 32-bit",
                    field: "\(routePath).route[\(index)].weight",
                    lines: lines
                )
            }
            if route.route.count > 1, route.route.allSatisfy({ $0.weight == 0 }) {
                throw header.error("the weights of the route's destinations add up to 0", field: "\(routePath).route", lines: lines)
            }
            if let retries = route.retries {
                let field = "\(routePath).retries.attempts"
                guard retries.attempts >= 0 else {
                    throw header.error("retry attempts must not be negative, not \(retries.attempts)", field: field, lines: lines)
                }
                if retries.attempts == 0, retries.perTryTimeout != nil || retries.retryOn != nil {
                    throw header.error("retries are configured while attempts is 0, which turns them off", field: field, lines: lines)
                }
            }
        }
    }
}
