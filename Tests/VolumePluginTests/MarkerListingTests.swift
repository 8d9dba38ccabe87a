import BrickctlTestSupport
import Foundation
import Synchronization
import Testing

@testable import VolumePlugin

/// List across hosts: the markers folder read as volumes, and the cache in front of it.
@Suite(.offCooperativePool) struct MarkerListingTests {
    func marker(_ name: String) -> Data {
        PluginState.marker(
            PluginVolume(
                name: name, backing: .shared(glusterVolume: "gv0", size: nil), uid: 33,
                createdAt: Date(timeIntervalSince1970: 0)))
    }

    @Test func markersAreVolumesAndBadOnesAreSkippedWithWhy() throws {
        let listing = MarkerListing(
            glusterVolume: "gv0",
            files: [
                "wp.json": marker("wp"), "db.json": marker("db"), "broken.json": Data("{\"name\": \"bro".utf8),
                "empty.json": Data(), "other.json": marker("wp"), "notes.txt": Data("x".utf8),
                "..json": marker("x"),
            ])
        #expect(listing.volumes.keys.sorted() == ["db", "wp"])
        #expect(listing.volumes["wp"]?.uid == 33)
        #expect(
            listing.damaged.keys.sorted() == [
                "gv0:/brickctl/markers/broken.json", "gv0:/brickctl/markers/empty.json",
                "gv0:/brickctl/markers/other.json",
            ])
        #expect(listing.damaged["gv0:/brickctl/markers/empty.json"]?.contains("it is empty") == true)
        #expect(listing.damaged["gv0:/brickctl/markers/other.json"]?.contains(#"describes shared volume "wp""#) == true)
    }

    @Test func getOfADamagedMarkerSaysWhatIsWrongAndWhatToDo() {
        #expect {
            try MarkerListing.volume(named: "broken", marker: Data("{not json".utf8), glusterVolume: "gv0")
        } throws: { error in
            guard let error = error as? PluginError else { return false }
            return error.code == .damagedMarker && error.message.contains("/brickctl/markers/broken.json")
                && error.message.contains("gv0") && error.message.contains("create the volume again")
        }
    }

    @Test func aFailedRefreshAnswersWithTheLastListAndLogsIt() async {
        let lines = Mutex<[String]>([])
        let catalog = MarkerCatalog(freshFor: .zero, patience: .seconds(10)) { line in
            lines.withLock { $0.append(line) }
        }
        let first = await catalog.listing { MarkerListing(glusterVolume: "gv0", files: ["wp.json": self.marker("wp")]) }
        #expect(first.volumes.keys.sorted() == ["wp"])
        struct Down: Error {}
        let second = await catalog.listing { throw Down() }
        #expect(second.volumes.keys.sorted() == ["wp"], "the last known list")
        #expect(lines.withLock { $0 }.contains { $0.contains("cannot read the volume markers") })
    }

    @Test func aHangingServerDoesNotHoldListLongerThanItsPatience() async {
        let catalog = MarkerCatalog(freshFor: .zero, patience: .milliseconds(200)) { _ in }
        let started = ContinuousClock.now
        let listing = await catalog.listing {
            try await Task.sleep(for: .seconds(30))
            return MarkerListing()
        }
        #expect(listing.volumes.isEmpty)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func aFreshListIsNotReadAgain() async {
        let reads = Mutex(0)
        let catalog = MarkerCatalog(freshFor: .seconds(600), patience: .seconds(10)) { _ in }
        for _ in 0..<3 {
            _ = await catalog.listing {
                reads.withLock { $0 += 1 }
                return MarkerListing()
            }
        }
        #expect(reads.withLock { $0 } == 1)
    }
}
