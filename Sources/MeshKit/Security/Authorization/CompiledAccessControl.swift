/// Dapr's ``AccessControlSpec`` compiled for evaluation, following daprd's `pkg/acl`: a call
/// whose caller has no verified identity, or whose app ID and namespace no policy names, or
/// whose trust domain differs from the policy's, gets the global default action; otherwise
/// the policy's default (if any), overridden by the first operation whose name matches the
/// path and whose verbs include the method (or `*`).
struct CompiledAccessControl: Sendable {
    let defaultAction: AccessControlSpec.Action
    let policies: [Policy]

    struct Policy: Sendable {
        let appID: String
        let namespace: String
        let trustDomain: String
        let defaultAction: AccessControlSpec.Action?
        let operations: [Operation]
    }

    struct Operation: Sendable {
        let segments: [Segment]
        let verbs: [String]
        let action: AccessControlSpec.Action
    }

    enum Segment: Sendable {
        /// `*`: any one segment.
        case any
        /// `**`: one or more segments, to the end.
        case rest
        /// Literal text, with `*` matching any characters within the segment; lowercased.
        case glob([UInt8])
    }

    init(_ spec: AccessControlSpec) {
        defaultAction = spec.effectiveDefaultAction
        policies = spec.policies.map { policy in
            Policy(
                appID: policy.appID,
                namespace: policy.namespace,
                trustDomain: policy.trustDomain,
                defaultAction: policy.defaultAction,
                operations: policy.operations.map { operation in
                    Operation(
                        segments: operation.name.lowercased().split(separator: "/").map { segment in
                            switch segment {
                            case "*": .any
                            case "**": .rest
                            default: .glob(Array(segment.utf8))
                            }
                        },
                        verbs: operation.httpVerbs,
                        action: operation.action
                    )
                }
            )
        }
    }

    /// Whether the call is allowed.
    func allows(_ request: AuthorizationRequest) -> Bool {
        var action = defaultAction
        guard let appID = request.callerAppID, let namespace = request.namespace, let trustDomain = request.trustDomain,
            let policy = policies.first(where: { $0.appID == appID && $0.namespace == namespace })
        else { return action == .allow }
        guard policy.trustDomain == trustDomain else { return action == .allow }
        if let own = policy.defaultAction { action = own }
        if let operation = policy.operations.first(where: { Self.matches($0.segments, request.path) }) {
            if operation.verbs.contains(request.method) || operation.verbs.contains("*") { action = operation.action }
        }
        return action == .allow
    }

    /// Whether the pattern's segments match the path's, ASCII case-insensitively.
    static func matches(_ segments: [Segment], _ path: String) -> Bool {
        var remaining = path.utf8[...]
        for segment in segments {
            while remaining.first == UInt8(ascii: "/") { remaining = remaining.dropFirst() }
            guard !remaining.isEmpty else { return false }
            let end = remaining.firstIndex(of: UInt8(ascii: "/")) ?? remaining.endIndex
            switch segment {
            case .rest: return true
            case .any: break
            case .glob(let pattern): guard globMatches(pattern, remaining[..<end]) else { return false }
            }
            remaining = remaining[end...]
        }
        while remaining.first == UInt8(ascii: "/") { remaining = remaining.dropFirst() }
        return remaining.isEmpty
    }

    /// `*` matches any run of bytes; other bytes compare ASCII case-insensitively.
    private static func globMatches(_ pattern: [UInt8], _ text: Substring.UTF8View.SubSequence) -> Bool {
        var patternIndex = 0
        var textIndex = text.startIndex
        var star: (pattern: Int, text: Substring.UTF8View.Index)?
        while textIndex != text.endIndex {
            if patternIndex < pattern.count, pattern[patternIndex] == UInt8(ascii: "*") {
                star = (patternIndex, textIndex)
                patternIndex += 1
            } else if patternIndex < pattern.count, pattern[patternIndex] == lower(text[textIndex]) {
                patternIndex += 1
                textIndex = text.index(after: textIndex)
            } else if let last = star {
                patternIndex = last.pattern + 1
                textIndex = text.index(after: last.text)
                star = (last.pattern, textIndex)
            } else {
                return false
            }
        }
        while patternIndex < pattern.count, pattern[patternIndex] == UInt8(ascii: "*") { patternIndex += 1 }
        return patternIndex == pattern.count
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
