/// A step of prepare, release or activate that failed, with what to do next.
public enum PrepareError: Error, CustomStringConvertible, Sendable {
    case partitioning(String)
    case kernel(String)
    case filesystem(String)
    case mount(String)
    case busy(String)
    case notABrick(String)
    case inUseByGluster(String)

    public var description: String {
        switch self {
        case .partitioning(let m), .kernel(let m), .filesystem(let m), .mount(let m), .busy(let m),
            .notABrick(let m), .inUseByGluster(let m):
            return m
        }
    }
}
