/// Input problems the harness reports to the user: each names the file or flag and what was
/// expected, in one sentence.
public struct HarnessError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) { self.description = description }
}
