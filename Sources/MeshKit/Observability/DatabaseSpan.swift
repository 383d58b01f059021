import Tracing

/// The names and attributes of state calls' spans, by OpenTelemetry's database conventions: a
/// client span named `{db.operation.name} {db.namespace}` (`get statestore`), with
/// `db.system.name` the store's component type without its `state.` prefix (`redis`,
/// `in-memory`), `db.operation.name` the Dapr operation (`get`, `set`, `delete`, `getBulk`,
/// `transaction`) and `db.namespace` the store's name.
enum DatabaseSpan {
    /// The span's name.
    static func name(operation: String, store: String) -> String {
        "\(operationName(operation)) \(store)"
    }

    /// The database attributes.
    static func setAttributes(operation: String, store: String, type: String?, on span: any Span) {
        span.attributes["db.system.name"] = type.map { $0.hasPrefix("state.") ? String($0.dropFirst(6)) : $0 } ?? "dapr"
        span.attributes["db.operation.name"] = operationName(operation)
        span.attributes["db.namespace"] = store
    }

    /// `get` for `state.get`: the operation without its building block.
    private static func operationName(_ operation: String) -> String {
        operation.hasPrefix("state.") ? String(operation.dropFirst(6)) : operation
    }
}
