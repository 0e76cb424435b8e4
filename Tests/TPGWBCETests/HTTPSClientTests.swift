import Foundation
import Testing
import TPGWHTTPClient

/// Upstream endpoints are HTTPS: libcurl (OpenSSL) talks TLS to a local server with a throwaway certificate, trusts it
/// only when told to, and checks the host name.
@Suite(.serialized) struct HTTPSClientTests {
    /// A self-signed certificate for 127.0.0.1 and a Python TLS server using it, on a free port for at most 60 s.
    final class TLSServer {
        let directory: URL
        let process: Process
        let port: Int
        var certificate: String { directory.appendingPathComponent("cert.pem").path }

        init(host: String = "127.0.0.1") throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("tpgw-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            openssl.arguments = [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", directory.appendingPathComponent("key.pem").path,
                "-out", directory.appendingPathComponent("cert.pem").path,
            ]
            openssl.standardError = FileHandle.nullDevice
            openssl.standardOutput = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            guard openssl.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }

            let script = """
                import http.server, ssl, sys, threading
                class H(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        body = b"ok-tls"
                        self.send_response(200)
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                    def log_message(self, *args):
                        pass
                srv = http.server.ThreadingHTTPServer((sys.argv[3], 0), H)
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.load_cert_chain(sys.argv[1], sys.argv[2])
                srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
                print(srv.server_address[1], flush=True)
                threading.Timer(60, srv.shutdown).start()
                srv.serve_forever()
                """
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "python3", "-c", script, directory.appendingPathComponent("cert.pem").path, directory.appendingPathComponent("key.pem").path, host,
            ]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
            }
            guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
                kill(process.processIdentifier, SIGKILL)
                throw CocoaError(.fileReadCorruptFile)
            }
            self.port = port
        }

        func stop() {
            // SIGKILL: a test process may block SIGTERM (signal handling tests), and children inherit the mask.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func https_withTheServersCA_getsTheResponse() async throws {
        let server = try TLSServer()
        defer { server.stop() }
        let client = HTTPClient(configuration: .init(caBundlePath: server.certificate))
        let response = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/v1/eiptp"))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "ok-tls")
        await client.shutdown()
    }

    @Test func https_withAnUntrustedCertificate_failsToConnect() async throws {
        let server = try TLSServer()
        defer { server.stop() }
        let client = HTTPClient()
        await #expect {
            try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/v1/eiptp"))
        } throws: { error in
            (error as? HTTPClientError).map { $0.kind == .connect && $0.curlCode == 60 } ?? false  // CURLE_PEER_FAILED_VERIFICATION
        }
        await client.shutdown()
    }

    @Test func https_withAnotherHostName_failsToConnect() async throws {
        // The certificate names 127.0.0.1 only; the server listens on another loopback address (not `localhost`, whose
        // resolution to ::1 or 127.0.0.1 made this test depend on the resolver).
        let server = try TLSServer(host: "127.0.0.2")
        defer { server.stop() }
        let client = HTTPClient(configuration: .init(caBundlePath: server.certificate))
        await #expect {
            try await client.execute(HTTPClientRequest(url: "https://127.0.0.2:\(server.port)/v1/eiptp"))
        } throws: { error in
            (error as? HTTPClientError).map { $0.kind == .connect && $0.curlCode == 60 } ?? false  // CURLE_PEER_FAILED_VERIFICATION
        }
        await client.shutdown()
    }
}
