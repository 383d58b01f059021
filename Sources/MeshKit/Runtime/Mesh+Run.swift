import Logging
public import ServiceLifecycle
import Tracing

extension Mesh: Service {
    /// Runs the app's subscriptions until the task is cancelled or a graceful shutdown, which
    /// stops taking new messages and waits for deliveries in flight.
    ///
    /// When it returns, the mesh is shut down (see ``shutdown()``): it leaves its network and its
    /// components close their connections.
    ///
    /// State, publish and invoke work without `run()`; only deliveries need it.
    public func run() async throws {
        try handlers.withLock { table throws(MeshError) in
            guard !table.isRunning else {
                throw MeshError(.invalidConfiguration, "the mesh is already running", context: .init(subject: appID))
            }
            guard !table.isShutDown else {
                throw MeshError(.invalidConfiguration, "the mesh was shut down", context: .init(subject: appID))
            }
            table.isRunning = true
        }
        let input = subscriptionQueueInput
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.sendMirrors() }
                for await subscription in subscriptionQueue {
                    group.addTask { await self.consume(subscription) }
                }
            }
        } onGracefulShutdown: {
            self.handlers.withLock { $0.isStopping = true }
            input.finish()
            self.mirrors.finish()
        }
        await shutdown()
    }

    /// Keeps one subscription consuming, restarting it after a component failure.
    private func consume(_ subscription: SubscriptionResource) async {
        guard let pubsub = try? components.pubSub(subscription.pubsubName) else { return }
        var logger = logger
        logger[metadataKey: "pubsub"] = "\(subscription.pubsubName)"
        logger[metadataKey: "topic"] = "\(subscription.topic)"
        let delivery = SubscriptionDelivery(
            subscription: subscription,
            pubsub: pubsub,
            stack: policies.stack(for: .component(subscription.pubsubName, .pubsub, .inbound)),
            clock: configuration.clock,
            logger: logger,
            jsonDecoder: configuration.jsonDecoder,
            tracing: tracing,
            appID: appID,
            handler: { [weak self] route in self?.handlers.withLock { $0.topicRoutes[Mesh.normalizedRoute(route)] } }
        )
        let request = subscriptionRequest(for: subscription)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await pubsub.subscribe(request) { message in await delivery.deliver(message) }
                return
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                logger.error("the subscription failed; restarting it in 1s", metadata: ["error": "\(error)"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            }
        }
    }
}
