/// Input problems the harness reports to the user: each names the file or flag and what was
/// expected, in one sentence.
public struct HarnessError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// A run that cannot go on for a reason that is not an outcome (an external optimizer past its
/// wall-clock timeout): the command stops with exit status 3, naming the trial, and nothing of
/// the run is published.
public struct RunAborted: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) { self.description = description }
}
