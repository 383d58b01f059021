import Logging

/// How a mesh reaches apps outside its process: the app's own ``MeshConfiguration/remoteTransport``,
/// or the resolver of a `Configuration`'s `nameResolution` section (built with the registry's
/// ``ComponentRegistry/nameResolvers``) and the transport
/// ``MeshConfiguration/remoteTransportFactory`` makes from it. What the mesh built, it shuts down.
struct RemoteInvocation: Sendable {
    /// The resolver of app IDs, if any.
    let resolver: (any NameResolver)?
    /// The transport, if any.
    let transport: (any InvocationTransport)?
    /// What the mesh created: the transport before the resolver it uses.
    private let owned: [any Shutdownable]

    init(configuration: MeshConfiguration, resources: ResourceSet, logger: Logger) throws(MeshError) {
        let section = resources.configurations.first { $0.nameResolution != nil }
        if let given = configuration.remoteTransport {
            if let section {
                logger.warning(
                    "the nameResolution section is not used: the remoteTransport given in code has a resolver of its own",
                    metadata: ["configuration": "\(section.header.name)"]
                )
            }
            (resolver, transport, owned) = (given.resolver, given, [])
            return
        }
        guard let section, let nameResolution = section.nameResolution else {
            if configuration.remoteTransportFactory != nil {
                throw MeshError(
                    .invalidConfiguration,
                    "remoteTransportFactory needs a name resolver: add a Configuration resource with spec.nameResolution (static, dns, redis, …)",
                    context: .init(field: "spec.nameResolution")
                )
            }
            (resolver, transport, owned) = (nil, nil, [])
            return
        }
        let built: any NameResolver
        do {
            built = try configuration.registry.nameResolvers.makeResolver(nameResolution)
        } catch {
            throw MeshError(
                error.code,
                error.message,
                context: .init(
                    file: section.header.source?.file,
                    line: section.header.source?.line,
                    field: error.context.field,
                    component: error.context.component
                ),
                underlying: error.underlying
            )
        }
        guard let factory = configuration.remoteTransportFactory else {
            logger.debug(
                "the name resolver is built, but without remoteTransportFactory invocations stay in this process",
                metadata: ["resolver": "\(nameResolution.component)"]
            )
            (resolver, transport, owned) = (built, nil, [built])
            return
        }
        do {
            let made = try factory.makeTransport(resolver: built)
            (resolver, transport, owned) = (built, made, [made, built])
        } catch {
            throw MeshError(.componentInitFailed, "the remote transport could not be created: \(error)", underlying: error)
        }
    }

    /// Shuts down what the mesh created, transport first.
    func shutdown() async {
        for item in owned { await item.shutdown() }
    }
}
