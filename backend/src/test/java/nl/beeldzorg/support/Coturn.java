package nl.beeldzorg.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
			.start();
		// A thread copies coturn's log to the file and says when coturn reports it
		// serves.
		CompletableFuture<Void> ready = new CompletableFuture<>();
		Thread copier = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
					Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					out.write(line);
					out.write('\n');
					out.flush();
					if (line.contains("Total General servers")) {
						ready.complete(null);
					}
				}
				ready.completeExceptionally(new AssertionError("coturn exited before serving"));
			}
			catch (IOException ex) {
				ready.completeExceptionally(ex);
			}
		}, "coturn-log");
		copier.setDaemon(true);
		copier.start();
		try {
			ready.get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			process.destroyForcibly();
			throw new AssertionError("coturn did not start: " + Files.readString(log), ex);
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
