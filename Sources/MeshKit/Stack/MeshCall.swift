/// A call on its way through a target's ``CallStack``: what it is aimed at, how to read its
/// result, and, for an invocation, the request and the endpoint it goes to.
///
/// Filters change a copy and pass it on: the route filter rewrites the request, the balancer
/// sets ``endpoint``.
public struct MeshCall<Result: Sendable>: Sendable {
    /// What the call is aimed at.
    public let target: PolicyTarget
    /// Whether the call may be repeated after its request may have reached the peer.
    public var isIdempotent: Bool
    /// How filters read a returned result.
    public let reading: ResultReading<Result>
    /// The invocation, for calls to an app; `nil` for state, pub/sub and delivery calls.
    public var invocation: InvocationRequest? {
        @inline(__always) get { invocationBox?.request }
        set { invocationBox = newValue.map(InvocationBox.init) }
    }
    /// The invocation, behind one reference: filters that change the call change a copy of it,
    /// and a copy then retains the box once rather than each of the request's strings, headers
    /// and buffers.
    private var invocationBox: InvocationBox?
    /// The endpoint the balancer picked; `nil` until then, and for calls that need none.
    public var endpoint: Endpoint?
    /// The attempt number, from 1; the retry filter counts.
    public var attempt: Int
    /// The destination the route filter chose: the app ID and subset the balancer picks among.
    public var destination: Destination?
    /// The retry policy's `matching`, which decides which statuses count as failures.
    var retryMatching: RetryMatching?
    /// What earlier attempts of this call used, so that a retry prefers another endpoint; set by
    /// the retry filter when a balancer sits below it.
    var history: AttemptHistory?
    /// The cluster the balancer picked from, for the endpoint filters below it.
    var cluster: Cluster?
    /// The endpoint's live state, for the endpoint filters below the balancer.
    var upstream: UpstreamHost?
    /// How the call is traced, which each attempt's span follows; `nil` when the call is not
    /// sampled, and then its attempts make no spans either.
    var trace: CallTrace?

    /// Creates a call.
    public init(
        target: PolicyTarget,
        isIdempotent: Bool = true,
        reading: ResultReading<Result>,
        invocation: InvocationRequest? = nil
    ) {
        self.target = target
        self.isIdempotent = isIdempotent
        self.reading = reading
        self.invocationBox = invocation.map(InvocationBox.init)
        self.attempt = 1
    }

    /// Whether the call is an invocation; unlike ``invocation``, copies nothing.
    @inline(__always) var isInvocation: Bool { invocationBox != nil }

    /// The app ID the invocation is aimed at; `nil` for calls that are not invocations.
    @inline(__always) var invokedAppID: String? { invocationBox?.request.appID }

    /// How `result` reads: a success, or a failure that the retry policy may retry.
    @inline(__always)
    public func verdict(of result: Result) -> AttemptVerdict {
        reading.verdict(result, retryMatching)
    }
}

/// An invocation held by reference in a ``MeshCall``.
private final class InvocationBox: Sendable {
    let request: InvocationRequest

    init(_ request: InvocationRequest) {
        self.request = request
    }
}
