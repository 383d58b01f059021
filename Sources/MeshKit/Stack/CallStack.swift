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
///
/// MeshKit's own filters that only act just before and just after a call (metrics, the limits,
/// the breaker, outlier detection, the route, the access log) run inline, and so does the retry's
/// first attempt: the stack makes no async frames for them, and each sees the same calls, results
/// and errors, in the same order, as through ``CallFilter/handle(_:next:)``. One difference: the
/// filters in a row that change the call (the route, then the balancer) change one copy of it,
/// so the route sees on its way out the endpoint the balancer set.
public struct CallStack: Sendable, CustomStringConvertible {
    /// One filter and its name.
    public struct Entry: Sendable {
        /// The name, unique in the stack.
        public var name: FilterName
        /// The filter.
        public var filter: any CallFilter {
            didSet { shape = Shape(filter) }
        }
        /// How the stack runs the filter; found once here rather than per call.
        @usableFromInline private(set) var shape: Shape

        /// Creates an entry.
        public init(_ name: FilterName, _ filter: any CallFilter) {
            self.name = name
            self.filter = filter
            self.shape = Shape(filter)
        }

        /// Whether the stack runs the filter inline.
        @usableFromInline var isSynchronous: Bool {
            if case .synchronous = shape { true } else { false }
        }
    }

    /// How the stack runs a filter.
    @usableFromInline enum Shape: Sendable {
        /// Through ``CallFilter/handle(_:next:)``.
        case general
        /// Inline, around the rest of the stack.
        case synchronous(any SynchronousCallFilter)
        /// Inline, with a changed call for the rest of the stack.
        case changing(any ChangingCallFilter)
        /// With the first attempt inline.
        case retrying(any RetryingCallFilter)

        init(_ filter: any CallFilter) {
            if let filter = filter as? any SynchronousCallFilter {
                self = .synchronous(filter)
            } else if let filter = filter as? any ChangingCallFilter {
                self = .changing(filter)
            } else if let filter = filter as? any RetryingCallFilter {
                self = .retrying(filter)
            } else {
                self = .general
            }
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

    /// Runs `call` through the filters, then `body`, on the caller's executor (a filter that
    /// runs an attempt in a child task, as the attempt timeout does, runs `body` there).
    @inlinable @inline(__always)
    nonisolated(nonsending) public func run<Result: Sendable>(
        _ call: MeshCall<Result>,
        _ body: nonisolated(nonsending) @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        try await run(call, from: entries.startIndex, body)
    }

    /// Runs `call` from the filter at `start`: enters the synchronous filters in a row inline,
    /// then runs what follows them (`body`; a changing filter, inline; the retry's first attempt,
    /// inline; any other filter through its `handle`), then exits them innermost first.
    @inlinable nonisolated(nonsending) func run<Result: Sendable>(
        _ call: MeshCall<Result>,
        from start: Int,
        _ body: nonisolated(nonsending) @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        var entered = EnteredFilters()
        var index = start
        while index < entries.endIndex {
            if entries[index].filter.passesThrough(call) {
                index += 1
                continue
            }
            guard case .synchronous(let filter) = entries[index].shape, entered.hasRoom else { break }
            do {
                entered.append(index, try filter.enter(call))
            } catch {
                exit(entered, call, throwing: error)
                throw error
            }
            index += 1
        }
        let result: Result
        do {
            if index == entries.endIndex {
                result = try await body(call)
            } else if case .retrying(let filter) = entries[index].shape, case var first = call, filter.beginFirstAttempt(&first) {
                // The first attempt, inline; the filter takes over only when it did not stand.
                var attempted = false
                do {
                    let answer = try await run(first, from: index + 1, body)
                    attempted = true
                    if filter.accepts(answer, of: first) {
                        result = answer
                    } else {
                        result = try await filter.retry(first, afterReturning: answer) { [index] call in
                            try await run(call, from: index + 1, body)
                        }
                    }
                } catch where !attempted {
                    result = try await filter.retry(first, afterThrowing: error) { [index] call in
                        try await run(call, from: index + 1, body)
                    }
                }
            } else if case .changing(let filter) = entries[index].shape {
                result = try await runChanging(call, from: index, first: filter, body)
            } else if entries[index].isSynchronous {
                result = try await run(call, from: index, body)
            } else {
                result = try await entries[index].filter.handle(call) { [index] call in
                    try await run(call, from: index + 1, body)
                }
            }
        } catch {
            exit(entered, call, throwing: error)
            throw error
        }
        exitInline(entered, call, returning: result)
        return result
    }

    /// Runs `call` from the changing filter at `start`, `first`: enters it and the changing
    /// filters right below it (a route, then the balancer) on one copy of the call, runs the rest
    /// of the stack with that copy, then shows them its outcome innermost first; each sees the
    /// call as the innermost changed it. A filter that cannot enter without waiting runs through
    /// its `handle`.
    @inlinable nonisolated(nonsending) func runChanging<Result: Sendable>(
        _ call: MeshCall<Result>,
        from start: Int,
        first: any ChangingCallFilter,
        _ body: nonisolated(nonsending) @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        var changed = call
        var entered = EnteredFilters()
        var index = start
        do {
            while index < entries.endIndex, entered.hasRoom {
                if index > start, entries[index].filter.passesThrough(changed) {
                    index += 1
                    continue
                }
                guard case .changing(let filter) = entries[index].shape, let ticket = try filter.enter(&changed) else { break }
                entered.append(index, ticket)
                index += 1
            }
        } catch {
            exitChanging(entered, changed, throwing: error)
            throw error
        }
        var result: Result
        do {
            if entered.count == 0 {
                result = try await first.handle(call) { [start] call in
                    try await run(call, from: start + 1, body)
                }
            } else {
                result = try await run(changed, from: index, body)
            }
        } catch {
            exitChanging(entered, changed, throwing: error)
            throw error
        }
        entered.innermostFirst { slot in
            if case .changing(let filter) = entries[slot.index].shape { filter.exit(slot.ticket, changed, returning: &result) }
        }
        return result
    }

    /// Tells the changing filters `entered`, innermost first, that the rest of the stack threw `error`.
    @inlinable func exitChanging<Result: Sendable>(_ entered: EnteredFilters, _ call: MeshCall<Result>, throwing error: any Error) {
        entered.innermostFirst { slot in
            if case .changing(let filter) = entries[slot.index].shape { filter.exit(slot.ticket, call, throwing: error) }
        }
    }

    /// Tells the `entered` filters, innermost first, that the rest of the stack threw `error`.
    @inlinable func exit<Result: Sendable>(_ entered: EnteredFilters, _ call: MeshCall<Result>, throwing error: any Error) {
        entered.innermostFirst { slot in
            if case .synchronous(let filter) = entries[slot.index].shape { filter.exit(slot.ticket, call, throwing: error) }
        }
    }
}
