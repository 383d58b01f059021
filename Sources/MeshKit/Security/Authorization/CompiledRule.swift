import HTTPTypes

/// An ``AuthorizationRule`` compiled for evaluation: patterns, address blocks and header names
/// are built once, so matching a request builds no string and allocates nothing.
struct CompiledRule: Sendable {
    let sources: [CompiledSource]
    let operations: [CompiledOperation]
    let conditions: [CompiledCondition]

    init(_ rule: AuthorizationRule) {
        sources = rule.from.map(CompiledSource.init)
        operations = rule.to.map(CompiledOperation.init)
        conditions = rule.when.map(CompiledCondition.init)
    }

    /// From entries OR, to entries OR, when entries AND, and the three AND.
    /// Whether the rule reads the caller's address.
    var readsAddress: Bool {
        sources.contains { !$0.ipBlocks.isEmpty || !$0.notIpBlocks.isEmpty }
            || conditions.contains { if case .sourceIP = $0.attribute { true } else { false } }
    }

    func matches(_ request: AuthorizationRequest, _ address: IPAddressBits?) -> Bool {
        if !sources.isEmpty, !anySourceMatches(request, address) { return false }
        if !operations.isEmpty, !anyOperationMatches(request) { return false }
        for index in conditions.indices where !conditions[index].matches(request, address) { return false }
        return true
    }

    private func anySourceMatches(_ request: AuthorizationRequest, _ address: IPAddressBits?) -> Bool {
        for index in sources.indices where sources[index].matches(request, address) { return true }
        return false
    }

    private func anyOperationMatches(_ request: AuthorizationRequest) -> Bool {
        for index in operations.indices where operations[index].matches(request) { return true }
        return false
    }
}

/// Address blocks, of which any may hold the address.
struct CIDRBlocks: Sendable {
    let blocks: [CIDRBlock]

    init(_ texts: [String]) {
        blocks = texts.compactMap(CIDRBlock.init)
    }

    var isEmpty: Bool { blocks.isEmpty }

    func contains(_ address: IPAddressBits?) -> Bool {
        guard let address else { return false }
        for index in blocks.indices where blocks[index].contains(address) { return true }
        return false
    }
}

/// A compiled ``AuthorizationSource``; a class for the same reason as ``CompiledOperation``.
final class CompiledSource: Sendable {
    let principals: ValuePatterns
    let notPrincipals: ValuePatterns
    let namespaces: ValuePatterns
    let notNamespaces: ValuePatterns
    let ipBlocks: CIDRBlocks
    let notIpBlocks: CIDRBlocks

    init(_ source: AuthorizationSource) {
        principals = ValuePatterns(source.principals)
        notPrincipals = ValuePatterns(source.notPrincipals)
        namespaces = ValuePatterns(source.namespaces)
        notNamespaces = ValuePatterns(source.notNamespaces)
        ipBlocks = CIDRBlocks(source.ipBlocks)
        notIpBlocks = CIDRBlocks(source.notIpBlocks)
    }

    func matches(_ request: AuthorizationRequest, _ address: IPAddressBits?) -> Bool {
        if !principals.isEmpty, !principals.matches(request.principal) { return false }
        if !notPrincipals.isEmpty, notPrincipals.matches(request.principal) { return false }
        if !namespaces.isEmpty, !namespaces.matches(request.namespace) { return false }
        if !notNamespaces.isEmpty, notNamespaces.matches(request.namespace) { return false }
        if !ipBlocks.isEmpty, !ipBlocks.contains(address) { return false }
        if !notIpBlocks.isEmpty, notIpBlocks.contains(address) { return false }
        return true
    }
}

/// A compiled ``AuthorizationOperation``: a class, so that reading one from its rule's list
/// retains it once instead of copying (and retaining) each of its eight pattern lists.
final class CompiledOperation: Sendable {
    let hosts: ValuePatterns
    let notHosts: ValuePatterns
    let ports: [Int]
    let notPorts: [Int]
    let methods: ValuePatterns
    let notMethods: ValuePatterns
    let paths: ValuePatterns
    let notPaths: ValuePatterns

    init(_ operation: AuthorizationOperation) {
        hosts = ValuePatterns(operation.hosts, ignoresCase: true)
        notHosts = ValuePatterns(operation.notHosts, ignoresCase: true)
        ports = operation.ports
        notPorts = operation.notPorts
        methods = ValuePatterns(operation.methods)
        notMethods = ValuePatterns(operation.notMethods)
        paths = ValuePatterns(operation.paths)
        notPaths = ValuePatterns(operation.notPaths)
    }

    func matches(_ request: AuthorizationRequest) -> Bool {
        if !methods.isEmpty, !methods.matches(request.method) { return false }
        if !notMethods.isEmpty, notMethods.matches(request.method) { return false }
        if !paths.isEmpty, !paths.matches(request.path) { return false }
        if !notPaths.isEmpty, notPaths.matches(request.path) { return false }
        if !ports.isEmpty, !request.port.map(ports.contains).orFalse { return false }
        if !notPorts.isEmpty, request.port.map(notPorts.contains).orFalse { return false }
        if !hosts.isEmpty, !Self.hostMatches(hosts, request.host) { return false }
        if !notHosts.isEmpty, Self.hostMatches(notHosts, request.host) { return false }
        return true
    }

    /// Whether the `Host` value, or that value without its `:port`, matches.
    private static func hostMatches(_ patterns: ValuePatterns, _ host: String?) -> Bool {
        guard let host else { return false }
        let bytes = host.utf8
        if patterns.matches(bytes) { return true }
        guard let colon = bytes.lastIndex(of: UInt8(ascii: ":")), !bytes[colon...].contains(UInt8(ascii: "]")) else { return false }
        return patterns.matches(bytes[..<colon])
    }
}

/// A compiled ``AuthorizationCondition``.
struct CompiledCondition: Sendable {
    enum Attribute: Sendable {
        case header(HTTPField.Name?)
        case principal
        case namespace
        case sourceIP(values: CIDRBlocks, notValues: CIDRBlocks)
        case port(values: [Int], notValues: [Int])
    }

    let attribute: Attribute
    let values: ValuePatterns
    let notValues: ValuePatterns

    init(_ condition: AuthorizationCondition) {
        values = ValuePatterns(condition.values)
        notValues = ValuePatterns(condition.notValues)
        switch condition.key {
        case .requestHeader(let name): attribute = .header(HTTPField.Name(name))
        case .sourcePrincipal: attribute = .principal
        case .sourceNamespace: attribute = .namespace
        case .sourceIP: attribute = .sourceIP(values: CIDRBlocks(condition.values), notValues: CIDRBlocks(condition.notValues))
        case .destinationPort:
            attribute = .port(values: condition.values.compactMap { Int($0) }, notValues: condition.notValues.compactMap { Int($0) })
        }
    }

    func matches(_ request: AuthorizationRequest, _ address: IPAddressBits?) -> Bool {
        switch attribute {
        case .header(let name): return matches(name.flatMap { request.headers[$0] })
        case .principal: return matches(request.principal)
        case .namespace: return matches(request.namespace)
        case .sourceIP(let allowed, let refused):
            if !allowed.isEmpty, !allowed.contains(address) { return false }
            return refused.isEmpty || !refused.contains(address)
        case .port(let allowed, let refused):
            if !allowed.isEmpty, !request.port.map(allowed.contains).orFalse { return false }
            return refused.isEmpty || !request.port.map(refused.contains).orFalse
        }
    }

    private func matches(_ value: String?) -> Bool {
        if !values.isEmpty, !values.matches(value) { return false }
        return notValues.isEmpty || !notValues.matches(value)
    }
}

extension Optional<Bool> {
    /// The value, or `false` when there is none.
    var orFalse: Bool { self ?? false }
}
