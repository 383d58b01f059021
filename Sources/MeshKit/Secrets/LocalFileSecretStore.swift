import Foundation

/// `secretstores.local.file`: secrets read from a JSON file, as in Dapr.
///
/// Metadata:
/// - `secretsFile` (required): the JSON file. A relative path is looked up in the working
///   directory, as Dapr does, and then next to the component's resource file.
/// - `nestedSeparator` (default `:`): nested objects are flattened, `{"db": {"password": "x"}}`
///   becoming the secret `db:password`.
/// - `multiValued` (default false): when true, each top-level key is one secret whose values are
///   its flattened members.
public struct LocalFileSecretStore: SecretStore {
    /// The Dapr component type.
    public static let componentType = "secretstores.local.file"

    private let name: String
    private let secrets: [String: [String: String]]

    init(context: ComponentContext) throws(MeshError) {
        self.name = context.name
        let metadata = context.metadata
        let file = try metadata.required("secretsFile")
        let separator = metadata["nestedSeparator"].flatMap { $0.isEmpty ? nil : $0 } ?? ":"
        let multiValued = try metadata.bool("multiValued", default: false)
        let path = Self.locate(file, besides: context.resource.header.source?.file)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MeshError(
                .componentInitFailed,
                "the secrets file '\(file)' cannot be read",
                context: .init(file: context.resource.header.source?.file, field: "spec.metadata.secretsFile", component: name)
            )
        }
        let root: JSONValue
        do {
            root = try JSONValue.parse(data)
        } catch {
            throw MeshError(
                .componentInitFailed,
                "the secrets file '\(path)' is not valid JSON",
                context: .init(file: path, component: name),
                underlying: error
            )
        }
        guard case .object(let members) = root else {
            throw MeshError(
                .componentInitFailed,
                "the secrets file '\(path)' must hold a JSON object",
                context: .init(file: path, component: name)
            )
        }
        var secrets: [String: [String: String]] = [:]
        if multiValued {
            for (key, value) in members {
                secrets[key] = Self.flatten(value, prefix: nil, separator: separator)
            }
        } else {
            for (key, value) in Self.flatten(root, prefix: nil, separator: separator) {
                secrets[key] = [key: value]
            }
        }
        self.secrets = secrets
    }

    public func secret(named name: String, metadata: [String: String]) async throws -> [String: String] {
        guard let secret = secrets[name] else { throw notFound(name, in: self.name) }
        return secret
    }

    public func bulkSecrets(metadata: [String: String]) async throws -> [String: [String: String]] {
        secrets
    }

    private static func locate(_ file: String, besides resourceFile: String?) -> String {
        if file.hasPrefix("/") || FileManager.default.fileExists(atPath: file) { return file }
        guard let resourceFile else { return file }
        let beside = ((resourceFile as NSString).deletingLastPathComponent as NSString).appendingPathComponent(file)
        return FileManager.default.fileExists(atPath: beside) ? beside : file
    }

    private static func flatten(_ value: JSONValue, prefix: String?, separator: String) -> [String: String] {
        switch value {
        case .object(let members):
            var flat: [String: String] = [:]
            for (key, member) in members {
                let name = prefix.map { "\($0)\(separator)\(key)" } ?? key
                flat.merge(flatten(member, prefix: name, separator: separator)) { _, new in new }
            }
            return flat
        case .string(let text):
            return [prefix ?? "": text]
        case .null:
            return [prefix ?? "": ""]
        case .bool(let flag):
            return [prefix ?? "": String(flag)]
        case .number, .array:
            return [prefix ?? "": String(decoding: value.serialized(), as: UTF8.self)]
        }
    }
}
