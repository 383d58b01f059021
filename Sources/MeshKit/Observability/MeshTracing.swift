import HTTPTypes
import ServiceContextModule
import Tracing

/// Whether a mesh makes spans, read once when the mesh is built from Istio's
/// `meshConfig.enableTracing` and the Dapr `Configuration`'s `samplingRate`.
///
/// Each call reads it once. A call that continues a trace follows the trace's W3C sampled flag;
/// a call that starts one is sampled with the probability `samplingRate`. A call that is not
/// sampled makes no span and passes the trace context it was given on unchanged, so the flag is
/// propagated and never invented. With neither resource, every call makes spans and the
/// tracer backend samples; when the backend does not record a call's span, the call's attempts
/// make none (``CallTrace/init(of:by:urlTemplate:)``). Without an instrument
/// (``ActiveInstrument``) no call makes spans.
///
/// At a rate of 1 an incoming call follows an unsampled flag only when the mesh's own instrument
/// speaks W3C Trace Context (``W3CInstrumentProbe``), as Dapr's parent-based sampler does: the
/// flag is then the backend's decision, under which OpenTelemetry's default parent-based sampler
/// would record no span either, and making none saves its cost. Otherwise it is left to the
/// backend: a MeshKit caller without a W3C tracer sends a made-up unsampled `traceparent` (so
/// that Dapr consumers always find one), which must not keep a B3 or in-memory tracer's trace
/// from continuing.
struct MeshTracing: Sendable {
    /// Whether the mesh makes spans at all: `false` when an `IstioOperator` says
    /// `enableTracing: false` or a `Configuration` says `samplingRate: "0"`.
    let isEnabled: Bool
    /// The probability that a call starting a trace is sampled, from 0 to 1.
    let samplingRate: Double
    /// Whether the instrument speaks W3C, asked at the first incoming call.
    private let probe = W3CInstrumentProbe()

    /// The settings of the resources that apply to one app: the first `Configuration` with a
    /// tracing section gives the rate, and any `IstioOperator` turning tracing off turns it off.
    init(resources: ResourceSet) {
        let rate = resources.configurations.lazy.compactMap(\.tracing).first?.samplingRate ?? 1
        self.samplingRate = rate
        self.isEnabled = rate > 0 && resources.meshConfigs.allSatisfy(\.tracingEnabled)
    }

    /// The tracer that makes an outgoing call's spans (an invocation, a publish, a state call),
    /// or `nil` when the call makes none: it follows the sampled flag of the current task's
    /// trace when there is one.
    func tracerForOutgoingCall() -> (any Tracer)? {
        guard isEnabled, let tracer = ActiveInstrument.tracer else { return nil }
        guard samplingRate < 1 else { return tracer }
        return samples(parentSampled: TraceContextCarrier.currentSampledFlag()) ? tracer : nil
    }

    /// How an invocation arriving with `headers` continues the caller's trace.
    func incomingCall(headers: HTTPFields) -> IncomingTrace {
        incomingCall(traceparent: headers.value(of: .traceparent)) { TraceContextCarrier.context(extractingFrom: headers) }
    }

    /// How the delivery of `event` continues the publisher's trace.
    func incomingCall(event: TopicEvent) -> IncomingTrace {
        incomingCall(traceparent: event.traceParent) { TraceContextCarrier.context(extractingFrom: event.traceCarrier) }
    }

    /// Without an instrument, no context and no spans: nothing reads either.
    private func incomingCall(traceparent: @autoclosure () -> String?, context: () -> ServiceContext) -> IncomingTrace {
        guard ActiveInstrument.isPresent else { return IncomingTrace(context: nil, tracer: nil) }
        let sampled = isEnabled && samplesIncomingCall(traceparent: traceparent())
        return IncomingTrace(context: context(), tracer: sampled ? ActiveInstrument.tracer : nil)
    }

    /// Whether an incoming call whose trace context carries `traceparent` makes spans.
    private func samplesIncomingCall(traceparent: @autoclosure () -> String?) -> Bool {
        guard samplingRate < 1 else {
            guard let parentSampled = traceparent().flatMap(TraceParent.sampledFlag), !parentSampled else { return true }
            return !probe.instrumentSpeaksW3C
        }
        return samples(parentSampled: traceparent().flatMap(TraceParent.sampledFlag))
    }

    private func samples(parentSampled: Bool?) -> Bool {
        if let parentSampled { return parentSampled }
        var generator = FastRandom.Generator()
        return Double.random(in: 0..<1, using: &generator) < samplingRate
    }
}

/// The trace an incoming call continues: the context extracted from what the caller sent
/// (`nil` without an instrument), and the tracer that makes the call's spans (`nil` when it
/// makes none).
struct IncomingTrace {
    let context: ServiceContext?
    let tracer: (any Tracer)?
}
