package nl.beeldzorg.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A backend node in a JVM of its own, for tests that need a node to die without warning:
 * {@link #kill()} is {@code SIGKILL}, so the node neither says goodbye to its clients nor
 * writes anything to Redis or the database on its way out; {@link #stop()} is
 * {@code SIGTERM}, as in a rolling deploy. (Closing one of several application contexts
 * in one JVM is no stand-in: it disposes the event loops the others share.)
 */
public final class NodeProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private final String name;

	private final String[] args;

	private NodeProcess(Process process, int port, Path log, String name, String[] args) {
		this.process = process;
		this.port = port;
		this.log = log;
		this.name = name;
		this.args = args;
	}

	/**
	 * Starts a node with the test's class path and waits until it is ready.
	 * @param name a name for its log ({@code target/<name>.log})
	 * @param args the application's arguments ({@code --key=value})
	 * @return the running node
	 */
	public static NodeProcess start(String name, String... args) {
		try {
			Files.deleteIfExists(Path.of("target", name + ".log"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return start(name, freePort(), args);
	}

	/**
	 * Starts this node again, after it stopped or was killed: a new JVM with the same
	 * arguments on the same port (a load balancer knows the node by its address), and
	 * waits until it is ready. Its log goes on in the same file.
	 * @return the running node
	 */
	public NodeProcess restart() {
		if (this.process.isAlive()) {
			throw new IllegalStateException("The node still runs; stop or kill it first");
		}
		return start(this.name, this.port, this.args);
	}

	/**
	 * @return whether the node's JVM runs
	 */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	private static NodeProcess start(String name, int port, String... args) {
		Path log = Path.of("target", name + ".log");
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.add("-Xmx384m");
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add("nl.beeldzorg.BeeldzorgApplication");
		command.add("--spring.profiles.active=demo");
		command.add("--server.port=" + port);
		command.addAll(List.of(args));
		try {
			Files.createDirectories(log.getParent());
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.directory(new File("."))
				.start();
			NodeProcess node = new NodeProcess(process, port, log, name, args);
			node.awaitReady(Duration.ofSeconds(120));
			return node;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start a node JVM", ex);
		}
	}

	/**
	 * @return the node's HTTP port
	 */
	public int port() {
		return this.port;
	}

	/** Kills the JVM at once ({@code SIGKILL}) and waits until it is gone. */
	public void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stops the JVM as an orchestrator does ({@code SIGTERM}: Spring's graceful shutdown)
	 * and waits until it is gone, at most a minute.
	 */
	public void stop() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
				kill();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
	}

	private void awaitReady(Duration within) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpRequest readiness = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(5))
			.build();
		try {
			Awaitility.await("node " + this.name + " ready")
				.atMost(within)
				.pollInterval(Duration.ofMillis(250))
				.ignoreExceptionsInstanceOf(IOException.class)
				.until(() -> {
					if (!this.process.isAlive()) {
						throw new AssertionError(
								"The node JVM exited with " + this.process.exitValue() + "; see " + this.log);
					}
					return http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
				});
		}
		catch (ConditionTimeoutException ex) {
			kill();
			throw new AssertionError("The node JVM was not ready within " + within + "; see " + this.log, ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
