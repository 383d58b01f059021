/// What a subscription handler says about an event, as a Dapr app's `status` does.
public enum TopicEventResponse: Sendable, Hashable {
    /// Handled: the message is acknowledged.
    case success
    /// Not handled yet: deliver it again, as the inbound retry policy allows; a handler that
    /// throws means the same.
    case retry
    /// Never to be handled: the message goes to the dead-letter topic when one is set, and is
    /// acknowledged.
    case drop
}
