package nl.beeldzorg.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Redis server of its own that a test may stop and start again, never the shared one on
 * 6379: Debian's {@code redis-server} on a free loopback port, nothing kept on disk (so a
 * restart comes back empty, as a Redis without persistence does), started once per test
 * run and stopped when the JVM exits. The README's test command installs the package.
 */
public final class StoppableRedis {

	private static final Path SERVER = Path.of("/usr/bin/redis-server");

	private static StoppableRedis shared;

	private final int port;

	private Process process;

	private StoppableRedis() {
		if (!Files.isExecutable(SERVER)) {
			throw new IllegalStateException(
					SERVER + " is missing: install Debian's redis-server (the README's test command, bin/test, does)");
		}
		this.port = StoppablePostgres.freePort();
		start();
		Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "stoppable-redis-cleanup"));
	}

	/**
	 * @return the server of this test run, started (and running) at first use
	 */
	public static synchronized StoppableRedis shared() {
		if (shared == null) {
			shared = new StoppableRedis();
		}
		else if (!shared.running()) {
			shared.start();
		}
		return shared;
	}

	/**
	 * @return {@code redis://127.0.0.1:<port>}
	 */
	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	/**
	 * Starts the server (again, on the same port) and waits until it answers.
	 */
	public synchronized void start() {
		if (running()) {
			return;
		}
		try {
			this.process = new ProcessBuilder(List.of(SERVER.toString(), "--port", Integer.toString(this.port),
					"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + SERVER, ex);
		}
		Process started = this.process;
		try {
			Awaitility.await("redis-server on port " + this.port)
				.atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> {
					if (!started.isAlive()) {
						throw new IllegalStateException("redis-server exited on port " + this.port);
					}
					return answers();
				});
		}
		catch (ConditionTimeoutException ex) {
			throw new IllegalStateException("redis-server did not come up on port " + this.port, ex);
		}
	}

	/**
	 * Stops the server (SIGTERM) and waits until it is gone; its data goes with it.
	 */
	public synchronized void stop() {
		Process running = this.process;
		if (running == null) {
			return;
		}
		running.destroy();
		try {
			if (!running.waitFor(20, TimeUnit.SECONDS)) {
				running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	/**
	 * @return whether the server process runs
	 */
	public synchronized boolean running() {
		return this.process != null && this.process.isAlive();
	}

	private boolean answers() {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] answer = new byte[7];
			int read = in.read(answer);
			return read > 0 && new String(answer, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

}
