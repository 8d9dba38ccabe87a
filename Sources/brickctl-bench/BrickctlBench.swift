import ArgumentParser

/// Benchmark helpers for scripts/bench/*: in-process timings the shipped `brickctl` does not need.
/// Built on demand (`swift build --product brickctl-bench`), never installed.
@main
struct BrickctlBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brickctl-bench",
        abstract: "In-process benchmarks for scripts/bench (not part of brickctl).",
        subcommands: [GfapiBenchmark.self]
    )
}
