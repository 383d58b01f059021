/// The filters a target's calls run through, outermost first: a value built once per target from
/// the resources, which an app can inspect and edit before the mesh uses it
/// (``MeshConfiguration/editStack``), as Finagle's `Stack` allows.
///
/// MeshKit's order, from the outside in (each filter only when a resource asks for it):
///
/// ```
/// metrics → access log → rate limit → concurrency limit → deadline → retry + budget
///   → route → balancer → outlier detection → connection pool → circuit breaker
///   → attempt timeout → fault → the call
/// ```
///
/// which keeps Dapr's retry(breaker(timeout)) with a deadline around it, and puts Istio's routing
/// and balancing below the retry so that each attempt picks its endpoint again.
public struct CallStack: Sendable, CustomStringConvertible {
    /// One filter and its name.
    public struct Entry: Sendable {
        /// The name, unique in the stack.
        public var name: FilterName
        /// The filter.
        public var filter: any CallFilter

        /// Creates an entry.
        public init(_ name: FilterName, _ filter: any CallFilter) {
            self.name = name
            self.filter = filter
        }
    }

    /// The filters, outermost first.
    public private(set) var entries: [Entry]

    /// Creates a stack of `entries`, outermost first.
    public init(_ entries: [Entry] = []) {
        self.entries = entries
    }

    /// The names of the filters, outermost first.
    public var names: [FilterName] { entries.map(\.name) }

    /// The filter named `name`, if the stack has one.
    public func filter(named name: FilterName) -> (any CallFilter)? {
        entries.first { $0.name == name }?.filter
    }

    /// Whether the stack has a filter named `name`.
    public func contains(_ name: FilterName) -> Bool {
        entries.contains { $0.name == name }
    }

    /// Adds `filter` as the innermost, just above the call.
    public mutating func append(_ name: FilterName, _ filter: some CallFilter) {
        entries.append(Entry(name, filter))
    }

    /// Adds `filter` as the outermost.
    public mutating func prepend(_ name: FilterName, _ filter: some CallFilter) {
        entries.insert(Entry(name, filter), at: 0)
    }

    /// Inserts `filter` just outside the filter named `existing`; returns whether it was found.
    @discardableResult
    public mutating func insert(_ name: FilterName, _ filter: some CallFilter, before existing: FilterName) -> Bool {
        guard let index = entries.firstIndex(where: { $0.name == existing }) else { return false }
        entries.insert(Entry(name, filter), at: index)
        return true
    }

    /// Inserts `filter` just inside the filter named `existing`; returns whether it was found.
    @discardableResult
    public mutating func insert(_ name: FilterName, _ filter: some CallFilter, after existing: FilterName) -> Bool {
        guard let index = entries.firstIndex(where: { $0.name == existing }) else { return false }
        entries.insert(Entry(name, filter), at: index + 1)
        return true
    }

    /// Replaces the filter named `name`; returns whether it was found.
    @discardableResult
    public mutating func replace(_ name: FilterName, with filter: some CallFilter) -> Bool {
        guard let index = entries.firstIndex(where: { $0.name == name }) else { return false }
        entries[index].filter = filter
        return true
    }

    /// Removes the filter named `name`; returns whether it was found.
    @discardableResult
    public mutating func remove(_ name: FilterName) -> Bool {
        guard let index = entries.firstIndex(where: { $0.name == name }) else { return false }
        entries.remove(at: index)
        return true
    }

    public var description: String {
        names.map(\.rawValue).joined(separator: " → ")
    }

    /// Runs `call` through the filters, then `body`.
    public func run<Result: Sendable>(
        _ call: MeshCall<Result>,
        _ body: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        try await run(call, from: entries.startIndex, body)
    }

    @inline(__always)
    private func run<Result: Sendable>(
        _ call: MeshCall<Result>,
        from index: Int,
        _ body: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        var index = index
        while index < entries.endIndex, entries[index].filter.passesThrough(call) { index += 1 }
        guard index < entries.endIndex else { return try await body(call) }
        return try await entries[index].filter.handle(call) { [index] call in
            try await run(call, from: index + 1, body)
        }
    }
}
