extension ResourceSet {
    /// Checks what no single resource can: every subset a `VirtualService` route or mirror
    /// names is defined by a `DestinationRule` for that host (the subsets of every rule for a
    /// host count, as Istio merges them). It also repeats each Istio resource's own checks, for
    /// resources built in code. Errors name the file, the line and the field.
    ///
    /// ``ResourceLoader/load(directory:)`` and `Mesh.init` call it.
    public func validate() throws(MeshError) {
        for rule in destinationRules { try rule.validate() }
        var subsetsByHost: [String: Set<String>] = [:]
        for rule in destinationRules {
            subsetsByHost[rule.host, default: []].formUnion(rule.subsets.map(\.name))
        }
        for service in virtualServices {
            try service.validate()
            for (routeIndex, route) in service.http.enumerated() {
                var references = route.route.enumerated().map {
                    ($1.destination, "spec.http[\(routeIndex)].route[\($0)].destination.subset")
                }
                if let mirror = route.mirror { references.append((mirror, "spec.http[\(routeIndex)].mirror.subset")) }
                for (destination, field) in references {
                    guard let subset = destination.subset, subsetsByHost[destination.host]?.contains(subset) != true else { continue }
                    let defined = subsetsByHost[destination.host].map {
                        "the DestinationRule subsets for it are \($0.sorted().joined(separator: ", "))"
                    }
                    throw service.header.error(
                        "the subset '\(subset)' of host '\(destination.host)' is not defined; "
                            + (defined ?? "no DestinationRule has host '\(destination.host)'"),
                        field: field,
                        lines: service.lines
                    )
                }
            }
        }
    }
}
