import Gluster

extension AuthRefusal {
    /// The fix as brickctl's own command.
    var commandLineRemedy: String {
        "on a pool host run `brickctl volume allow \(volume) \(addressToAllow)`"
    }

    /// The refusal and its fix, as `brickctl` says it.
    var commandLineText: String { "\(description): \(commandLineRemedy)" }
}
