public import Foundation

/// An Istio `VirtualService` (`networking.istio.io` `v1`, `v1beta1` or `v1alpha3`), read
/// unchanged: the HTTP routes of calls to its `hosts`, which name Dapr app IDs.
///
/// Istio resources have no Dapr `scopes`: a virtual service applies to the calls every app
/// makes to its hosts.
public struct VirtualServiceResource: Sendable {
    /// Name, namespace and source file.
    public var header: ResourceHeader
    /// `spec.hosts`: the app IDs whose calls these routes direct; `*` or `*.suffix` wildcards as in Istio.
    public var hosts: [String]
    /// `spec.gateways`; empty means the mesh's own calls, as Istio's default `mesh`.
    public var gateways: [String]
    /// `spec.http`: the routes, in order; the first that matches a call takes it.
    public var http: [HTTPRoute]
    /// Lines of the fields later checks name.
    var lines = FieldLines()

    /// Creates a virtual service in code.
    public init(name: String, hosts: [String], http: [HTTPRoute], gateways: [String] = []) {
        self.header = ResourceHeader(name: name)
        self.hosts = hosts
        self.gateways = gateways
        self.http = http
    }

    /// Whether calls to `host` follow this virtual service: `host` is one of ``hosts``, or
    /// matches a `*` or `*.suffix` wildcard.
    public func applies(to host: String) -> Bool {
        hosts.contains { pattern in
            if pattern == "*" || pattern == host { return true }
            guard pattern.hasPrefix("*.") else { return false }
            return host.hasSuffix(pattern.dropFirst())
        }
    }

    /// The route that takes a call: the first whose match blocks admit it, or `nil`.
    public func route(method: String, path: String, headers: some HTTPHeaderLookup, query: [URLQueryItem] = []) -> HTTPRoute? {
        http.first { $0.matches(method: method, path: path, headers: headers, query: query) }
    }

    /// The `spec` fields MeshKit refuses: routes of other protocols than HTTP.
    static let unsupportedFields = ["tcp", "tls"]

    init(document: ResourceNode) throws(MeshError) {
        try IstioAPIVersion.check(document, kind: "VirtualService", accepted: IstioAPIVersion.networking)
        self.header = try ResourceHeader(document: document)
        let spec = try document.required("spec")
        for field in Self.unsupportedFields {
            if let present = try spec.child(field) {
                throw present.error(
                    .malformedResource,
                    "'\(present.path)': MeshKit routes HTTP calls only; '\(field)' routes are not supported"
                )
            }
        }
        self.hosts = try spec.stringList("hosts")
        guard !hosts.isEmpty else {
            throw (try spec.child("hosts") ?? spec).error(.missingField, "'spec.hosts' must name at least one host")
        }
        self.gateways = try spec.stringList("gateways")
        var lines = FieldLines()
        var routes: [HTTPRoute] = []
        for item in try spec.items("http") {
            routes.append(try HTTPRoute(node: item, lines: &lines))
        }
        self.http = routes
        self.lines = lines
        try validate()
    }
}
