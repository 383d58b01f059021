/// Builds a ``NameResolver`` from a Dapr `Configuration`'s `nameResolution` section, by its
/// `component` name.
///
/// ``builtIn`` knows `static` (``StaticNameResolver``) and `dns` (``DNSNameResolver``). Another
/// module adds its own, such as a Redis-backed registry. A ``Mesh`` uses the factory in its
/// ``ComponentRegistry/nameResolvers`` by itself, so an app registers resolvers there, as it
/// registers component types:
///
/// ```swift
/// var configuration = MeshConfiguration()
/// configuration.registry.registerNameResolver("custom") { json in try CustomResolver(json) }
/// ```
public struct NameResolverFactory: Sendable {
    /// Makes a resolver from the section's `configuration` JSON (`nil` when absent).
    public typealias Make = @Sendable (JSONValue?) throws -> any NameResolver

    private var makers: [String: Make]

    /// A factory that knows no component.
    public init() {
        self.makers = [:]
    }

    /// The `static` and `dns` resolvers.
    public static let builtIn: NameResolverFactory = {
        var factory = NameResolverFactory()
        factory.register("static") { json in try StaticNameResolver(json: json) }
        factory.register("dns") { json in try DNSNameResolver(configuration: .init(json: json)) }
        return factory
    }()

    /// Registers (or replaces) the maker of a component name.
    public mutating func register(_ component: String, make: @escaping Make) {
        makers[component] = make
    }

    /// The component names this factory knows, sorted.
    public var components: [String] { makers.keys.sorted() }

    /// The resolver a `nameResolution` section describes. Throws
    /// ``MeshError/Code/unknownComponentType`` for a component it does not know and
    /// ``MeshError/Code/invalidMetadata`` for a configuration it cannot read.
    public func makeResolver(_ section: ConfigurationResource.NameResolution) throws(MeshError) -> any NameResolver {
        guard let make = makers[section.component] else {
            let hint =
                ProvidingModule.nameResolvers[section.component.lowercased()].map { " (\($0.hint))" }
                ?? (Self.daprOnly.contains(section.component.lowercased())
                    ? " (Dapr's resolver of that name has no MeshKit counterpart)" : "")
            throw MeshError(
                .unknownComponentType,
                "the name resolver '\(section.component)' is not known\(hint); known resolvers: \(components.joined(separator: ", "))",
                context: .init(field: "spec.nameResolution.component", component: section.component)
            )
        }
        do {
            return try make(section.configuration)
        } catch let error as MeshError {
            throw error
        } catch {
            throw MeshError(
                .invalidMetadata,
                "the configuration of the name resolver '\(section.component)' cannot be read: \(error)",
                context: .init(field: "spec.nameResolution.configuration", component: section.component),
                underlying: error
            )
        }
    }

    /// Dapr's name resolvers that MeshKit has no counterpart of.
    static let daprOnly: Set<String> = ["mdns", "kubernetes", "consul", "sqlite", "nameformat"]

    /// The resolver of the first `Configuration` in `resources` that has a `nameResolution`
    /// section, or `nil` when none has.
    public func makeResolver(resources: ResourceSet) throws(MeshError) -> (any NameResolver)? {
        guard let section = resources.configurations.lazy.compactMap(\.nameResolution).first else { return nil }
        return try makeResolver(section)
    }
}
