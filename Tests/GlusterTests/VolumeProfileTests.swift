import BrickctlTestSupport
import Foundation
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct VolumeProfileTests {
    let web = VolumeProfile.web

    @Test func everyWebOptionSaysWhy() {
        #expect(!web.options.isEmpty)
        for option in web.options {
            #expect(option.reason.count >= 60, "\(option.key): the reason is too short to say what it buys and costs")
            #expect(option.reason.hasSuffix("."), "\(option.key)")
            #expect(!option.value.isEmpty, "\(option.key)")
        }
        for option in web.mountOptions + web.optInMountOptions {
            #expect(option.reason.count >= 60, "\(option.name)")
        }
    }

    @Test func keysAreUniqueAndLookLikeGlusterKeys() {
        let keys = web.options.map(\.key)
        #expect(Set(keys).count == keys.count, "a key set twice: \(keys)")
        for key in keys {
            #expect(key.wholeMatch(of: /[a-z]+(\.[a-z0-9-]+)+/) != nil, "\(key)")
        }
    }

    @Test func pingTimeoutIsTenAndTCPNoticesADeadNodeFirst() throws {
        let values = Dictionary(uniqueKeysWithValues: web.options.map { ($0.key, $0.value) })
        #expect(values["network.ping-timeout"] == "10")
        #expect(VolumeProfile.webPingTimeout == 10)
        let tcp = try #require(values["client.tcp-user-timeout"].flatMap(Int.init))
        #expect(tcp == VolumeProfile.webTCPUserTimeout)
        // The target is a stall of at most 10 s when a node drops out; the ping timer alone stalls
        // up to twice its value, so a dead node must be noticed by TCP well within it.
        #expect(tcp > 0 && 2 * tcp <= 10 && tcp < VolumeProfile.webPingTimeout)
    }

    @Test func defaultResetsEveryKeyWebSetsAndSetsNothing() {
        let reset = VolumeProfile.default.resetKeys
        #expect(VolumeProfile.default.options.isEmpty)
        #expect(VolumeProfile.default.clientMountOptions.isEmpty)
        #expect(Set(reset).count == reset.count)
        for profile in VolumeProfile.allCases where profile != .default {
            for option in profile.options {
                #expect(reset.contains(option.key), "`default` does not reset \(option.key)")
            }
        }
        #expect(web.resetKeys.isEmpty)
        #expect(VolumeProfile(rawValue: "default") == .default && VolumeProfile(rawValue: "web") == .web)
    }

    @Test func groupsAreFullyExpandedWithTheirValues() {
        let values = Dictionary(uniqueKeysWithValues: web.options.map { ($0.key, $0.value) })
        for group in web.groups {
            for setting in group.settings {
                #expect(values[setting.key] == setting.value, "group \(group.name): \(setting.key)=\(setting.value)")
            }
        }
        // Every option that names a group really is in that group, with the same value.
        let byName = Dictionary(uniqueKeysWithValues: web.groups.map { ($0.name, $0) })
        for option in web.options {
            for name in option.groups {
                let group = byName[name]
                let setting = VolumeProfile.OptionGroup.Setting(key: option.key, value: option.value)
                #expect(group?.settings.contains(setting) == true, "\(option.key) in \(name)")
            }
        }
        #expect(
            VolumeProfile.OptionGroup.metadataCache.setArguments(volume: "wp")
                == ["volume", "set", "wp", "group", "metadata-cache"])
    }

    /// The expansions are glusterfs 10.3's files; where glusterd is installed, they must still match.
    @Test(arguments: [VolumeProfile.OptionGroup.metadataCache, .nlCache])
    func groupMatchesTheInstalledGroupFile(group: VolumeProfile.OptionGroup) throws {
        let path = "/var/lib/glusterd/groups/\(group.name)"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }  // no glusterd here
        let installed = text.split(separator: "\n").compactMap { line -> VolumeProfile.OptionGroup.Setting? in
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            return parts.count == 2 ? .init(key: parts[0], value: parts[1]) : nil
        }
        #expect(installed == group.settings, "\(path) differs from VolumeProfile.OptionGroup.\(group.name)")
    }

    @Test func mountOptionsAreWellFormed() {
        let all = web.mountOptions + web.optInMountOptions
        for option in all {
            #expect(option.text.wholeMatch(of: /[a-z][a-z-]*(=[A-Za-z0-9.:_-]+)?/) != nil, "\(option.text)")
            #expect(!option.text.contains(","))
        }
        #expect(web.clientMountOptions == ["negative-timeout=1"])
        let names = web.mountOptions.map(\.name)
        #expect(Set(names).count == names.count)
        // The default set stays within Gluster's own 1 s staleness bound; longer caching is opt-in only.
        for option in web.mountOptions where option.name.hasSuffix("-timeout") {
            #expect(Int(option.value ?? "") ?? .max <= 1, "\(option.text) is not coherent across nodes")
        }
        #expect(!web.clientMountOptions.contains { $0.hasPrefix("fopen-keep-cache") || $0.hasPrefix("direct-io-mode") })
        #expect(
            web.optInMountOptions.map(\.text) == ["attribute-timeout=600", "entry-timeout=600", "negative-timeout=600"])
    }

    @Test func setArgumentsAndPendingOptions() throws {
        let ping = try #require(web.options.first { $0.key == "network.ping-timeout" })
        #expect(ping.setArguments(volume: "wp") == ["volume", "set", "wp", "network.ping-timeout", "10"])
        var current = Dictionary(uniqueKeysWithValues: web.options.map { ($0.key, $0.value) })
        #expect(web.pendingOptions(current: current).isEmpty)
        current["network.ping-timeout"] = "42"
        current["performance.nl-cache"] = nil
        #expect(web.pendingOptions(current: current).map(\.key) == ["performance.nl-cache", "network.ping-timeout"])
    }

    /// The benches measure what brickctl sets: their copies of the lists must equal the profile.
    @Test(arguments: ["gluster-read", "gluster-stall"])
    func benchMeasuresThisProfile(script: String) throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: repo.appendingPathComponent("scripts/bench/\(script)"), encoding: .utf8)
        func list(_ name: String) -> Substring? {
            guard let start = text.range(of: "\n\(name) = [") else { return nil }
            let rest = text[start.upperBound...]
            return rest[..<(rest.range(of: "\n]")?.lowerBound ?? rest.endIndex)]
        }
        let options = try #require(list("WEB_VOLUME_OPTIONS"), "\(script) has no WEB_VOLUME_OPTIONS")
        let pairs = options.matches(of: /\("([^"]+)", "([^"]+)"\)/).map { "\($0.1)=\($0.2)" }
        #expect(pairs == web.options.map { "\($0.key)=\($0.value)" })
        if let mounts = list("WEB_MOUNT_OPTIONS") {
            #expect(mounts.matches(of: /"([^"]+)"/).map { String($0.1) } == web.clientMountOptions)
        }
        if let optIn = list("OPT_IN_MOUNT_OPTIONS") {
            #expect(optIn.matches(of: /"([^"]+)"/).map { String($0.1) } == web.optInMountOptions.map(\.text))
        }
    }
}
