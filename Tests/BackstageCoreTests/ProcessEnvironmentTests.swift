import Foundation
import Testing
@testable import BackstageCore

@Suite("process environment")
struct ProcessEnvironmentTests {
    @Test func readsWhatProcessInfoReads() {
        #expect(ProcessEnvironment.current == ProcessInfo.processInfo.environment)
        #expect(!ProcessEnvironment.current.isEmpty)
    }

    @Test func splitsAtTheFirstEqualsSignSkipsEntriesWithoutOneAndKeepsTheLastOfARepeatedName() {
        let texts = ["A=1", "B==2=", "NOEQUALS", "=empty-name", "C=", "A=3", "É=ü"]
        var pointers: [UnsafeMutablePointer<CChar>?] = texts.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        let read = pointers.withUnsafeMutableBufferPointer { ProcessEnvironment.read($0.baseAddress) }
        #expect(read == ["A": "3", "B": "=2=", "": "empty-name", "C": "", "É": "ü"])
        #expect(ProcessEnvironment.read(nil) == [:])
    }
}
