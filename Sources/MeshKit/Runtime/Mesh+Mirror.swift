extension Mesh {
    /// Sends the mirrored copies of calls until the mirror queue finishes at shutdown. Each copy
    /// goes to its destination's endpoints through the balancer, and its answer or error is
    /// dropped.
    func sendMirrors() async {
        await withDiscardingTaskGroup { group in
            for await copy in mirrors.copies {
                guard mirrors.tryBeginSending() else {
                    logger.debug("a mirrored call was dropped: too many in flight", metadata: ["app.id": "\(copy.destination.host)"])
                    continue
                }
                group.addTask {
                    defer { self.mirrors.endSending() }
                    var call = MeshCall(target: .app(copy.destination.host), reading: .invocation, invocation: copy.request)
                    call.destination = copy.destination
                    _ = try? await self.policies.mirrorStack(for: copy.destination.host).execute(call) { call in
                        try await self.deliver(call.invocation ?? copy.request, to: call.endpoint, policy: call.cluster?.policy)
                    }
                }
            }
        }
    }
}
