import HTTPTypes

/// How the filters of a stack read a result that returned rather than threw: whether it is a
/// failure worth a retry and a mark against the peer, and what an injected abort answers.
///
/// A call's ``MeshCall/reading`` is fixed by the building block: an invocation reads its HTTP
/// status, a delivery its ``TopicEventResponse``, a state call none.
public struct ResultReading<Result: Sendable>: Sendable {
    let verdict: @Sendable (Result, RetryMatching?) -> AttemptVerdict
    let aborted: @Sendable (Int) -> Result?
    /// The HTTP status of a result that has one (an invocation's response), read in place.
    let status: @Sendable (Result) -> Int?

    init(
        verdict: @escaping @Sendable (Result, RetryMatching?) -> AttemptVerdict,
        aborted: @escaping @Sendable (Int) -> Result?,
        status: @escaping @Sendable (Result) -> Int? = { _ in nil }
    ) {
        self.verdict = verdict
        self.aborted = aborted
        self.status = status
    }

    /// Every returned result is a success, and an injected abort throws
    /// ``MeshError/Code/faultInjected``.
    public static var returnedIsSuccess: ResultReading {
        ResultReading(verdict: { _, _ in .success }, aborted: { _ in nil })
    }
}

extension ResultReading where Result == InvocationResponse {
    /// An invocation: its HTTP status, read by ``InvocationVerdict``; an injected abort answers
    /// its status.
    public static var invocation: ResultReading {
        ResultReading(
            verdict: { response, matching in InvocationVerdict.read(response, matching: matching) },
            aborted: { InvocationResponse(status: HTTPResponse.Status(code: $0)) },
            status: { $0.status.code }
        )
    }
}

extension ResultReading where Result == TopicEventResponse {
    /// A delivery: ``TopicEventResponse/retry`` is a failure to retry.
    public static var delivery: ResultReading {
        ResultReading(verdict: { response, _ in response == .retry ? .failure(retryAfter: nil) : .success }, aborted: { _ in nil })
    }
}
