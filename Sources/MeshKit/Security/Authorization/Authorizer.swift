/// Decides whether an inbound call may proceed, for one app, from Istio `AuthorizationPolicy`
/// resources and Dapr's `accessControl`. Built once from the resources; each decision
/// builds no string and allocates nothing.
///
/// Istio's evaluation (the policies whose namespace and selector pick the workload, see
/// ``AuthorizationWorkload``):
/// 1. if any DENY policy matches, the request is denied;
/// 2. if no ALLOW policy applies to the workload, it is allowed;
/// 3. if any ALLOW policy matches, it is allowed; otherwise denied.
///
/// AUDIT policies only mark the decision (``AuthorizationDecision/audited``). CUSTOM policies
/// are refused when loaded. Dapr's `accessControl` (of the first `Configuration` that has
/// one) is evaluated on the same request; when either denies, the call is denied.
public struct Authorizer: Sendable {
    /// The workload decided for.
    public let workload: AuthorizationWorkload
    private let denyPolicies: [CompiledPolicy]
    private let allowPolicies: [CompiledPolicy]
    private let auditPolicies: [CompiledPolicy]
    private let denyIndex: PolicyPathIndex
    private let allowIndex: PolicyPathIndex
    private let auditIndex: PolicyPathIndex
    private let accessControl: CompiledAccessControl?
    private let readsAddress: Bool

    /// Whether no policy applies: every request is allowed.
    public var isEmpty: Bool {
        denyPolicies.isEmpty && allowPolicies.isEmpty && auditPolicies.isEmpty && accessControl == nil
    }

    /// Builds the authorizer of `workload` from `resources`: the `AuthorizationPolicy`
    /// resources that select it and the `accessControl` of its `Configuration`.
    public init(resources: ResourceSet, workload: AuthorizationWorkload) {
        self.workload = workload
        let applicable = resources.authorizationPolicies.filter {
            workload.isSelected(namespace: $0.header.namespace, selector: $0.selector)
        }
        func compiled(_ action: AuthorizationPolicyResource.Action) -> [CompiledPolicy] {
            applicable.filter { $0.action == action }.map(CompiledPolicy.init)
        }
        denyPolicies = compiled(.deny)
        allowPolicies = compiled(.allow)
        auditPolicies = compiled(.audit)
        denyIndex = PolicyPathIndex(denyPolicies)
        allowIndex = PolicyPathIndex(allowPolicies)
        auditIndex = PolicyPathIndex(auditPolicies)
        accessControl = resources.configurations.scopedAccessControl(for: workload.appID).map(CompiledAccessControl.init)
        readsAddress = (denyPolicies + allowPolicies + auditPolicies).contains { $0.rules.contains(where: \.readsAddress) }
    }

    /// Decides for `request`. Only the policies that name the request's path (or no path) are
    /// evaluated (``PolicyPathIndex``).
    public func decide(_ request: AuthorizationRequest) -> AuthorizationDecision {
        let address = readsAddress ? request.sourceIP.flatMap(IPAddressBits.init(parsing:)) : nil
        let path = PolicyPathIndex.Key(path: request.path)
        var audited = false
        // Index subscripts borrow each policy in place; `for … in` over the policies would copy
        // (and retain) each.
        for index in auditIndex.candidates(path) where auditPolicies[index].matches(request, address) {
            audited = true
            break
        }
        for index in denyIndex.candidates(path) where denyPolicies[index].matches(request, address) {
            return AuthorizationDecision(.deniedByPolicy(denyPolicies[index].name), audited: audited)
        }
        if !allowPolicies.isEmpty {
            var allowed = false
            for index in allowIndex.candidates(path) where allowPolicies[index].matches(request, address) {
                allowed = true
                break
            }
            if !allowed { return AuthorizationDecision(.notAllowed, audited: audited) }
        }
        if let accessControl, !accessControl.allows(request) {
            return AuthorizationDecision(.deniedByAccessControl, audited: audited)
        }
        return AuthorizationDecision(.allow, audited: audited)
    }
}

extension [ConfigurationResource] {
    /// The `accessControl` of the first configuration that applies to `appID` and has one.
    func scopedAccessControl(for appID: String) -> AccessControlSpec? {
        first { $0.header.applies(to: appID) && $0.accessControl != nil }?.accessControl
    }
}
