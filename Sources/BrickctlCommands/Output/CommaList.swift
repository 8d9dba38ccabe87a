/// An option's comma-separated list (`--hosts n2,n3`, `--servers`, `--names`): trimmed, empties dropped.
func commaList(_ value: String) -> [String] {
    value.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
