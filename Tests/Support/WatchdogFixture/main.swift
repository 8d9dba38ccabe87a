// A stand-in for a Swift Testing run that hangs, for the tests of scripts/test-watchdog.
//
//   watchdog-fixture EVENTS
//       Writes Swift Testing's event stream (version 0, one JSON line per event) to the FIFO
//       EVENTS as `swift test --experimental-event-stream-output` would: `finishes()` passes,
//       `fails()` records an issue, `slowButAllowed()` takes 5 s under a limit of its own of one
//       minute and passes, `neverBegins()` starts and then waits behind the hang without
//       being on any stack, and `hangsOnPurpose()` starts and never returns (a synchronous loop,
//       like a test that blocks its thread). The watchdog must stop it, name `hangsOnPurpose` with
//       this file and the loop's line, and count 2 passed, 1 failed, 2 stopped.
import Foundation

let events: FileHandle = {
    guard CommandLine.arguments.count == 2, let handle = FileHandle(forWritingAtPath: CommandLine.arguments[1]) else {
        FileHandle.standardError.write(
            Data("usage: watchdog-fixture EVENTS (a FIFO or file to write events to)\n".utf8))
        exit(2)
    }
    return handle
}()

/// One event line; the test's id as Swift Testing writes it (slashes escaped in JSON).
func event(_ kind: String, _ function: String, declaredAt line: Int) {
    let id = "WatchdogFixture/\(function)/main.swift:\(line):1".replacingOccurrences(of: "/", with: "\\/")
    events.write(
        Data("{\"kind\":\"event\",\"payload\":{\"kind\":\"\(kind)\",\"testID\":\"\(id)\"},\"version\":0}\n".utf8))
}

let finishesLine = #line + 1
func finishes() {}

let failsLine = #line + 1
func fails() {}

// Declared with a limit of its own (the watchdog reads it where the test is declared):
let slowButAllowedLine = #line + 1
func slowButAllowed() { sleep(5) }  // @Test(.timeLimit(.minutes(1)))

let neverBeginsLine = #line + 1
func neverBegins() {}

let hangsOnPurposeLine = #line + 1
func hangsOnPurpose() {
    while true { usleep(100_000) }
}

FileHandle.standardOutput.write(Data("watchdog-fixture: running 5 tests\n".utf8))  // unbuffered: it is killed
event("testStarted", "finishes()", declaredAt: finishesLine)
finishes()
event("testEnded", "finishes()", declaredAt: finishesLine)
event("testStarted", "fails()", declaredAt: failsLine)
fails()
// A failed expectation's event line can be long (Swift Testing describes both sides: 150 KB was
// seen) and arrive in pieces: half of it, a pause longer than the watchdog's 2 s read, the rest.
let issue =
    "{\"kind\":\"event\",\"payload\":{\"_comments\":[\"\(String(repeating: "x", count: 100_000))\"],"
    + "\"kind\":\"issueRecorded\",\"testID\":\"WatchdogFixture\\/fails()\\/main.swift:\(failsLine):1\"},\"version\":0}\n"
events.write(Data(issue.utf8.prefix(50_000)))
sleep(3)
events.write(Data(issue.utf8.dropFirst(50_000)))
event("testEnded", "fails()", declaredAt: failsLine)
event("testStarted", "slowButAllowed()", declaredAt: slowButAllowedLine)
slowButAllowed()
event("testEnded", "slowButAllowed()", declaredAt: slowButAllowedLine)
event("testStarted", "neverBegins()", declaredAt: neverBeginsLine)
event("testStarted", "hangsOnPurpose()", declaredAt: hangsOnPurposeLine)
hangsOnPurpose()
