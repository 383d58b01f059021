extension FaultInjection {
    /// Reads Istio's `HTTPFaultInjection` shape, shared by a `Resiliency` resource's
    /// `spec.policies.faults` and a `VirtualService` route's `fault`:
    ///
    /// ```yaml
    /// delay: { percentage: { value: 10 }, fixedDelay: 2s }
    /// abort: { percentage: { value: 5 }, httpStatus: 503 }
    /// ```
    ///
    /// As in Istio, a missing `percentage` means every call, and `fixedDelay` is required.
    init(node: ResourceNode) throws(MeshError) {
        func percentage(_ parent: ResourceNode) throws(MeshError) -> Double {
            let text = try parent.child("percentage").map { node throws(MeshError) in try node.string("value") ?? "" } ?? "100"
            guard let value = Double(text), (0...100).contains(value) else {
                throw parent.error(.malformedResource, "'\(parent.path).percentage.value' must be a number from 0 to 100")
            }
            return value
        }
        self.init()
        if let delay = try node.child("delay") {
            guard let fixed = try delay.duration("fixedDelay") else {
                throw delay.error(.missingField, "'\(delay.path).fixedDelay' is required")
            }
            self.delay = Delay(percentage: try percentage(delay), fixedDelay: fixed)
        }
        if let abort = try node.child("abort") {
            guard let status = try abort.int("httpStatus"), (100...599).contains(status) else {
                throw abort.error(.malformedResource, "'\(abort.path).httpStatus' must be an HTTP status from 100 to 599")
            }
            self.abort = Abort(percentage: try percentage(abort), httpStatus: status)
        }
    }
}
