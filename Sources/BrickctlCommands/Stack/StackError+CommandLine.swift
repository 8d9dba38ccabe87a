import Stack

extension StackError: CommandLineWorded {
    /// A refused setting as the option that gave it: `--replicas 0: give 1 to 64 …`.
    var commandLineText: String {
        guard let setting else { return message }
        let option =
            switch setting {
            case .replicas: "--replicas"
            case .port: "--port"
            case .name: "--name"
            case .volumeDriver: "--volume-driver"
            }
        return "\(option) \(value ?? ""): \(message)"
    }
}
