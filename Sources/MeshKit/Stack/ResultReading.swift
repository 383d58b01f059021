import HTTPTypes

/// How the filters of a stack read a result that returned rather than threw: whether it is a
/// failure worth a retry and a mark against the peer, and what an injected abort answers.
///
/// A call's ``MeshCall/reading`` is fixed by the building block: an invocation reads its HTTP
/// status, a delivery its ``TopicEventResponse``, a state call none.
///
/// A reading holds only the closures it was given: one made in generic code (a state call's
/// ``returnedIsSuccess``, a route's ``httpStatus(_:)``) makes no closure context per call. Its
/// readers are inlined into the filters, whose generic code would otherwise look up the
/// reading's type metadata on every call.
public struct ResultReading<Result: Sendable>: Sendable {
    private let readVerdict: (@Sendable (Result, RetryMatching?) -> AttemptVerdict)?
    private let readStatus: (@Sendable (Result) -> Int)?
    private let abort: (@Sendable (Int) -> Result?)?

    private init(
        verdict: (@Sendable (Result, RetryMatching?) -> AttemptVerdict)? = nil,
        status: (@Sendable (Result) -> Int)? = nil,
        aborted: (@Sendable (Int) -> Result?)? = nil
    ) {
        self.readVerdict = verdict
        self.readStatus = status
        self.abort = aborted
    }

    /// Whether `result` is a success, or a failure that the retry policy's `matching` may retry:
    /// by the reading's own verdict, else by its HTTP status (``InvocationVerdict``), else a
    /// success.
    @inline(__always)
    func verdict(_ result: Result, _ matching: RetryMatching?) -> AttemptVerdict {
        if let readVerdict { return readVerdict(result, matching) }
        if let readStatus { return InvocationVerdict.read(status: readStatus(result), matching: matching) }
        return .success
    }

    /// The HTTP status of a result that has one (an invocation's response), read in place.
    @inline(__always)
    func status(_ result: Result) -> Int? {
        readStatus?(result)
    }

    /// What an injected abort with `status` answers; `nil` to throw
    /// ``MeshError/Code/faultInjected``.
    @inline(__always)
    func aborted(_ status: Int) -> Result? {
        abort?(status)
    }

    /// Every returned result is a success, and an injected abort throws
    /// ``MeshError/Code/faultInjected``.
    public static var returnedIsSuccess: ResultReading {
        ResultReading()
    }

    /// A result that carries an HTTP status, read by `status`: a 5xx, 408 or 429 is a failure
    /// (or the statuses a retry policy's `matching` lists), and an injected abort throws
    /// ``MeshError/Code/faultInjected``. A request an app's own server answers
    /// (``Mesh/withInboundPolicies(method:route:headers:status:_:)``).
    public static func httpStatus(_ status: @escaping @Sendable (Result) -> Int) -> ResultReading {
        ResultReading(status: status)
    }
}

extension ResultReading where Result == InvocationResponse {
    /// An invocation: its HTTP status, read by ``InvocationVerdict`` (with `Retry-After`); an
    /// injected abort answers its status.
    public static var invocation: ResultReading {
        ResultReading(
            verdict: { response, matching in InvocationVerdict.read(response, matching: matching) },
            status: { $0.status.code },
            aborted: { InvocationResponse(status: HTTPResponse.Status(code: $0)) }
        )
    }
}

extension ResultReading where Result == TopicEventResponse {
    /// A delivery: ``TopicEventResponse/retry`` is a failure to retry.
    public static var delivery: ResultReading {
        ResultReading(verdict: { response, _ in response == .retry ? .failure(retryAfter: nil) : .success })
    }
}
