public import MeshKit
public import Foundation

extension Endpoint {
    /// The URL that invokes `method` of `appID` at this endpoint.
    ///
    /// - ``Style/meshKit``: `origin/v1.0/invoke/{appID}/method/{method}?{query}`
    /// - ``Style/direct``: `origin/{method}?{query}`
    ///
    /// Each path segment of `method` is percent-encoded; slashes between segments are kept.
    public func invocationURL(appID: String, method: String, query: [URLQueryItem]) -> String {
        var url = origin
        if style == .meshKit {
            url += "/v1.0/invoke/\(Self.encodeSegment(appID))/method"
        }
        let segments = method.split(separator: "/", omittingEmptySubsequences: false).map { Self.encodeSegment(String($0)) }
        url += "/" + segments.joined(separator: "/")
        if !query.isEmpty {
            var components = URLComponents()
            components.queryItems = query
            if let encoded = components.percentEncodedQuery {
                // URLComponents leaves `+` as is, which servers read as a space.
                url += "?" + encoded.replacingOccurrences(of: "+", with: "%2B")
            }
        }
        return url
    }

    private static let segmentAllowed: CharacterSet = {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return allowed
    }()

    private static func encodeSegment(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: segmentAllowed) ?? segment
    }
}
