import Foundation

extension DecodingError {
    /// What is wrong with the decoded input, in the input's terms: where (the coding path) and
    /// how, never the Swift types involved, so it can be shown to the client that sent it.
    var inputDescription: String {
        switch self {
        case .typeMismatch(_, let context):
            "the value at \(Self.location(context.codingPath)) has the wrong type"
        case .valueNotFound(_, let context):
            "the value at \(Self.location(context.codingPath)) is missing"
        case .keyNotFound(let key, let context):
            "the key '\(key.stringValue)' is missing at \(Self.location(context.codingPath))"
        case .dataCorrupted(let context):
            context.codingPath.isEmpty ? "it is not valid JSON" : "the value at \(Self.location(context.codingPath)) is invalid"
        @unknown default:
            "it does not have the expected shape"
        }
    }

    /// A coding path such as `items[0].price`, or `the top level`.
    private static func location(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "the top level" }
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return "'\(text)'"
    }
}
