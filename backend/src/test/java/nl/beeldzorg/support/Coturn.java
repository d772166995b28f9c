package nl.beeldzorg.support;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real coturn ({@code turnserver} from Debian's coturn package) on loopback with the
 * shared-secret scheme the backend mints credentials for. The README's test command
 * installs it; without it the test fails and says so.
 */
public final class Coturn implements AutoCloseable {

	private static final String BINARY = "/usr/bin/turnserver";

	private final int port;

	private final Path log;

	private final Process process;

	private Coturn(int port, Path log, Process process) {
		this.port = port;
		this.log = log;
		this.process = process;
	}

	/**
	 * @param secret the {@code static-auth-secret}
	 * @return a coturn listening on a free UDP and TCP port of 127.0.0.1
	 */
	public static Coturn start(String secret) throws IOException, InterruptedException {
		int port;
		try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		Path log = Files.createTempFile("coturn", ".log");
		return new Coturn(port, log, launch(port, secret, log));
	}

	private static Process launch(int port, String secret, Path log) throws IOException, InterruptedException {
		if (!new File(BINARY).canExecute()) {
			throw new AssertionError("No coturn at " + BINARY + ": install Debian's coturn (apt-get install coturn),"
					+ " as bin/test does");
		}
		Process process = new ProcessBuilder(List.of(BINARY, "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
				"--listening-port=" + port, "--min-port=" + (port + 1), "--max-port=" + (port + 200),
				"--use-auth-secret", "--static-auth-secret=" + secret, "--realm=beeldzorg.test", "--no-tls",
				"--no-dtls", "--no-cli", "--allow-loopback-peers", "--log-file=stdout", "--simple-log",
				"--no-software-attribute", "--verbose"))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			if (Files.readString(log).contains("Total General servers")) {
				return process;
			}
			if (!process.isAlive()) {
				throw new AssertionError("coturn exited: " + Files.readString(log));
			}
			Thread.sleep(50);
		}
		return process;
	}

	/**
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * @return what coturn logged so far
	 */
	public String log() throws IOException {
		return Files.readString(this.log);
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
	}

}
