/// `rules[].to[].operation` of an ``AuthorizationPolicyResource``: what the request does.
/// Every field set must match; within a field, any value. Strings use Istio's matching:
/// exact, prefix `abc*`, suffix `*abc`, or `*`.
///
/// Paths compare with the request's normalized path, without its query: the path of the
/// invoked method, such as `/api/products/1` for `/v1.0/invoke/{app}/method/api/products/1`
/// (see ``AuthorizationPath``). Hosts compare case-insensitively with the `Host` header.
public struct AuthorizationOperation: Sendable, Hashable {
    /// `hosts`.
    public var hosts: [String]
    /// `notHosts`.
    public var notHosts: [String]
    /// `ports`: the port the request arrived on.
    public var ports: [Int]
    /// `notPorts`.
    public var notPorts: [Int]
    /// `methods`: HTTP methods, such as `GET`.
    public var methods: [String]
    /// `notMethods`.
    public var notMethods: [String]
    /// `paths`.
    public var paths: [String]
    /// `notPaths`.
    public var notPaths: [String]

    /// Creates an operation.
    public init(
        hosts: [String] = [],
        notHosts: [String] = [],
        ports: [Int] = [],
        notPorts: [Int] = [],
        methods: [String] = [],
        notMethods: [String] = [],
        paths: [String] = [],
        notPaths: [String] = []
    ) {
        self.hosts = hosts
        self.notHosts = notHosts
        self.ports = ports
        self.notPorts = notPorts
        self.methods = methods
        self.notMethods = notMethods
        self.paths = paths
        self.notPaths = notPaths
    }

    static let fields: Set<String> = ["hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths"]

    init(node: ResourceNode) throws(MeshError) {
        try node.checkMembers(Self.fields, kind: "an AuthorizationPolicy operation")
        self.init(
            hosts: try node.stringList("hosts"),
            notHosts: try node.stringList("notHosts"),
            ports: try node.portList("ports"),
            notPorts: try node.portList("notPorts"),
            methods: try node.stringList("methods"),
            notMethods: try node.stringList("notMethods"),
            paths: try node.pathList("paths"),
            notPaths: try node.pathList("notPaths")
        )
    }
}

extension ResourceNode {
    /// A list of ports, from 1 to 65535, written as numbers or strings as Istio accepts.
    func portList(_ key: String) throws(MeshError) -> [Int] {
        var ports: [Int] = []
        for item in try items(key) {
            let text = try item.string()
            guard let port = Int(text), (1...65535).contains(port) else {
                throw item.error(.malformedResource, "'\(text)' is not a port from 1 to 65535")
            }
            ports.append(port)
        }
        return ports
    }

    /// A list of paths; path templates (`{*}`, `{**}`) are refused with a clear error.
    func pathList(_ key: String) throws(MeshError) -> [String] {
        var paths: [String] = []
        for item in try items(key) {
            let text = try item.string()
            if text.contains("{") {
                throw item.error(
                    .malformedResource,
                    "the path template '\(text)' is not supported; write an exact path, a prefix 'abc*' or a suffix '*abc'"
                )
            }
            paths.append(text)
        }
        return paths
    }
}
