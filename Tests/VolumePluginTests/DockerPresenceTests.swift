import BrickctlTestSupport
import Testing
import VolumePlugin

/// Whether dockerd lists the plugin's driver (what Swarm's node description carries).
@Suite(.offCooperativePool) struct DockerPresenceTests {
    @Test func readsDockerInfo() {
        #expect(
            DockerPresence(status: 0, stdout: #"["brickctl","local"]"# + "\n", stderr: "", driver: "brickctl")
                == .listed)
        #expect(DockerPresence(status: 0, stdout: #"["local"]"#, stderr: "", driver: "brickctl") == .unlisted)
        #expect(DockerPresence(status: 0, stdout: "null\n", stderr: "", driver: "brickctl") == .unlisted)
        let down = DockerPresence(
            status: 1, stdout: "",
            stderr:
                "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
            driver: "brickctl")
        #expect(
            down
                == .dockerdUnreachable(
                    "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?")
        )
    }

    @Test func onlySocketsDockerdScansAreAnnounced() {
        #expect(DockerPresence.driverName(socket: "/run/docker/plugins/brickctl.sock") == "brickctl")
        #expect(DockerPresence.driverName(socket: "/var/run/docker/plugins/gluster.sock") == "gluster")
        #expect(DockerPresence.driverName(socket: "/tmp/test/brickctl.sock") == nil)
        #expect(DockerPresence.driverName(socket: "/run/docker/plugins/brickctl") == nil)
    }
}
