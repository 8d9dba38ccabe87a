/// An error from a domain module that the command layer words in its own terms: its options and
/// `brickctl …` commands. The domain's `description` names neither; `Brickctl.run` prints this.
protocol CommandLineWorded: Error {
    var commandLineText: String { get }
}

/// The sentence `brickctl` prints for `error`: the command layer's wording when it has one.
func commandLineText(for error: any Error) -> String {
    (error as? any CommandLineWorded)?.commandLineText ?? String(describing: error)
}
