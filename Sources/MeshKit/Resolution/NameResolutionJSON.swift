/// Reading resolver settings from `nameResolution.configuration`. Values loaded from YAML are
/// strings (`port: "3500"`), values from JSON may be numbers: both are accepted.
struct NameResolutionJSON {
    let value: JSONValue?
    let path: String

    subscript(key: String) -> NameResolutionJSON {
        NameResolutionJSON(value: value?[key], path: "\(path).\(key)")
    }

    var isPresent: Bool {
        if case .none = value { return false }
        if case .null? = value { return false }
        return true
    }

    func string() throws(MeshError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .number(let number)?: return Int(exactly: number).map(String.init) ?? String(number)
        case .bool(let flag)?: return String(flag)
        default: throw invalid("must be a string")
        }
    }

    func requiredString() throws(MeshError) -> String {
        guard let text = try string() else { throw invalid("is required") }
        return text
    }

    func int() throws(MeshError) -> Int? {
        guard let text = try string() else { return nil }
        guard let number = Int(text), (0...65535).contains(number) else { throw invalid("must be a port number, not '\(text)'") }
        return number
    }

    func stringMap() throws(MeshError) -> [String: String] {
        switch value {
        case nil, .null?: return [:]
        case .object(let members)?:
            var result: [String: String] = [:]
            for key in members.keys { result[key] = try self[key].string() ?? "" }
            return result
        default: throw invalid("must be a map of strings")
        }
    }

    func members() throws(MeshError) -> [String] {
        switch value {
        case nil, .null?: return []
        case .object(let members)?: return members.keys.sorted()
        default: throw invalid("must be a map")
        }
    }

    func items() throws(MeshError) -> [NameResolutionJSON] {
        switch value {
        case nil, .null?: return []
        case .array(let items)?: return items.indices.map { NameResolutionJSON(value: items[$0], path: "\(path)[\($0)]") }
        case .object?: return [self]
        default: throw invalid("must be a list")
        }
    }

    func scheme() throws(MeshError) -> Endpoint.Scheme? {
        guard let text = try string() else { return nil }
        guard let scheme = Endpoint.Scheme(named: text) else { throw invalid("must be http or https, not '\(text)'") }
        return scheme
    }

    func style() throws(MeshError) -> Endpoint.Style? {
        guard let text = try string() else { return nil }
        guard let style = Endpoint.Style(named: text) else { throw invalid("must be meshKit, dapr or direct, not '\(text)'") }
        return style
    }

    /// A duration such as `30s`, `500ms`, `1m` or `1h`; a bare number is seconds.
    func duration() throws(MeshError) -> Duration? {
        guard let text = try string()?.trimmingSpaces else { return nil }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let number = Double(text.dropLast(suffix.count)), number >= 0 { return .clampedSeconds(number * scale) }
        }
        if let seconds = Double(text), seconds >= 0 { return .clampedSeconds(seconds) }
        throw invalid("must be a duration such as 30s or 500ms, not '\(text)'")
    }

    func invalid(_ problem: String) -> MeshError {
        MeshError(.invalidMetadata, "nameResolution configuration field '\(path)' \(problem)", context: .init(field: path))
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
