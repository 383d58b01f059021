import Logging
public import MeshKit

extension MeshConfiguration {
    /// A configuration for tests: a private ``InProcessNetwork`` (so parallel tests never share
    /// apps or in-memory data), a fast inbound retry policy, and a quiet logger.
    public static func testing(
        network: InProcessNetwork = InProcessNetwork(),
        resources: ResourceSet = ResourceSet(),
        clock: WallClock = .system,
        monotonicClock: MonotonicClock = .system
    ) -> MeshConfiguration {
        var logger = Logger(label: "meshkit.test")
        logger.logLevel = .critical
        return MeshConfiguration(
            resources: resources,
            network: network,
            defaultInboundRetry: .constant(.milliseconds(10), maxRetries: 3),
            logger: logger,
            clock: clock,
            monotonicClock: monotonicClock
        )
    }
}
