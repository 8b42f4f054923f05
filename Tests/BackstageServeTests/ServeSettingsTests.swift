import Testing
@testable import BackstageServe

@Suite struct ServeSettingsTests {
    @Test func listenTakesHostAndPort() {
        #expect(ServeSettings.parseListen("127.0.0.1:2222")! == ("127.0.0.1", 2222))
        #expect(ServeSettings.parseListen(":2222")! == ("0.0.0.0", 2222))
        #expect(ServeSettings.parseListen("[::1]:22")! == ("::1", 22))
        #expect(ServeSettings.parseListen("localhost:0")! == ("localhost", 0))
        for bad in ["2222", "host:", "host:65536", "host:x", "[::1]22", "[::1"] {
            #expect(ServeSettings.parseListen(bad) == nil, "\(bad)")
        }
    }
}
