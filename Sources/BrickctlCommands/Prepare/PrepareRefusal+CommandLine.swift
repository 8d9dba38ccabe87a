import DiskPreparation

extension PrepareRefusal {
    /// What `brickctl prepare` (and `brick replace` onto a bare disk) print: the refusal's message
    /// and the command line's advice, or the domain's hint when no option helps.
    var commandLineText: String {
        message + ((commandLineHint ?? hint).map { "; \($0)" } ?? "")
    }

    /// The advice `brickctl prepare` gives for this obstacle, naming its options; nil when `hint`
    /// (which names none) says it all.
    var commandLineHint: String? {
        switch obstacle {
        case .wipeableSignatures(let count):
            return "pass --wipe to destroy \(count == 1 ? "it" : "them") (the data is lost)"
        case .holdsData:
            return "run `brickctl release \(device) --wipe` first if that data can go"
        case .alreadyBrick:
            return "drop --label, or release it first to relabel"
        case .alreadySetUp:
            return "drop --mount-point, or `brickctl release \(device)` first"
        case .noFreeLabel:
            return "pass --label"
        case .mountPointNotAbsolute:
            return "give --mount-point like /data/glusterfs/brick1"
        case .mountPointTaken:
            return "choose another --mount-point or --label"
        case .mountPointNotEmpty:
            return "choose another --mount-point, or empty it"
        case .partition, .unavailable, .mountedElsewhere, .invalidLabel, .mountPointInSystemFolder:
            return nil
        }
    }
}
