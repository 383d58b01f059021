/// Something that holds resources — connections, the threads that drive them, timers — until it
/// is shut down.
///
/// State stores, pub/sub components, secret stores, name resolvers and invocation transports are
/// all `Shutdownable`. A ``Mesh`` shuts down the components it created when its `run()` ends (or
/// when ``Mesh/shutdown()`` is called); a transport or resolver the app created is the app's to
/// shut down, usually by running it as a `Service` in the same `ServiceGroup`.
///
/// `shutdown()` is idempotent: a second call returns at once. Calls made after it fail with a
/// ``MeshError`` rather than hang. The default does nothing, for components that hold nothing.
public protocol Shutdownable: Sendable {
    /// Releases the component's connections and threads; returns when they are gone.
    func shutdown() async
}

extension Shutdownable {
    public func shutdown() async {}
}
