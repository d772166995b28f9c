package nl.beeldzorg.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own that a test may stop and start again, never the shared
 * one on 5432: a fresh cluster ({@code initdb}, trust, loopback only, no fsync) in a
 * temporary directory on a free port, started once per test run and removed when the JVM
 * exits. As root it runs as the {@code postgres} OS user ({@code runuser}), as PostgreSQL
 * insists. Needs Debian's {@code postgresql} package, which the README's test command
 * installs.
 */
public final class StoppablePostgres {

	private static StoppablePostgres shared;

	private final Path bin;

	private final Path data;

	private final int port;

	private final boolean asPostgres;

	private StoppablePostgres() {
		this.bin = binaries();
		this.port = freePort();
		this.asPostgres = "root".equals(System.getProperty("user.name"));
		try {
			this.data = Files.createTempDirectory("beeldzorg-pg-");
			if (this.asPostgres) {
				run(List.of("chown", "postgres:postgres", this.data.toString()), false);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not make a directory for a test PostgreSQL", ex);
		}
		run(List.of(this.bin.resolve("initdb").toString(), "-D", this.data.resolve("cluster").toString(), "-U",
				"postgres", "-A", "trust", "-E", "UTF8", "--no-sync"), this.asPostgres);
		start();
		Runtime.getRuntime().addShutdownHook(new Thread(this::destroy, "stoppable-postgres-cleanup"));
	}

	/**
	 * @return the server of this test run, started (and running) at first use
	 */
	public static synchronized StoppablePostgres shared() {
		if (shared == null) {
			shared = new StoppablePostgres();
		}
		else if (!shared.running()) {
			shared.start();
		}
		return shared;
	}

	/**
	 * @return its port on 127.0.0.1
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Creates an empty database.
	 * @param prefix a readable prefix
	 * @return its JDBC URL
	 */
	public String createDatabase(String prefix) {
		String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection(server() + "postgres", "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create " + name + " on the test PostgreSQL", ex);
		}
		return server() + name;
	}

	/**
	 * Starts the server (again) and waits until it accepts connections.
	 */
	public synchronized void start() {
		run(List.of(this.bin.resolve("pg_ctl").toString(), "-D", this.data.resolve("cluster").toString(), "-l",
				this.data.resolve("server.log").toString(), "-w", "-t", "60", "-o",
				"-p " + this.port + " -c listen_addresses=127.0.0.1 -k " + this.data + " -c fsync=off", "start"),
				this.asPostgres);
	}

	/**
	 * Stops the server as an operator would ({@code pg_ctl stop -m fast}: open
	 * connections are cut, running transactions roll back) and waits until it is gone.
	 */
	public synchronized void stop() {
		run(List.of(this.bin.resolve("pg_ctl").toString(), "-D", this.data.resolve("cluster").toString(), "-m", "fast",
				"-w", "-t", "60", "stop"), this.asPostgres);
	}

	/**
	 * @return whether the server runs
	 */
	public boolean running() {
		return Files.exists(this.data.resolve("cluster").resolve("postmaster.pid"));
	}

	private String server() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/";
	}

	private void destroy() {
		try {
			if (running()) {
				stop();
			}
		}
		catch (RuntimeException ex) {
			// Leaving: nothing to tell.
		}
		try (Stream<Path> files = Files.walk(this.data)) {
			files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			// A temporary directory: the system cleans it up.
		}
	}

	private static void run(List<String> command, boolean asPostgres) {
		List<String> full = new ArrayList<>();
		if (asPostgres) {
			full.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		full.addAll(command);
		try {
			// Output to a file, not a pipe: the server pg_ctl leaves behind must not hold
			// it.
			Path output = Files.createTempFile("beeldzorg-pg-", ".out");
			try {
				Process process = new ProcessBuilder(full).redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.start();
				if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
					throw new IllegalStateException(
							"Failed: " + String.join(" ", full) + "\n" + Files.readString(output));
				}
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + String.join(" ", full), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted running " + String.join(" ", full), ex);
		}
	}

	private static Path binaries() {
		Path root = Path.of("/usr/lib/postgresql");
		try (Stream<Path> versions = Files.list(root)) {
			return versions.filter((version) -> Files.isExecutable(version.resolve("bin/initdb")))
				.max(Comparator.comparingInt((version) -> Integer.parseInt(version.getFileName().toString())))
				.map((version) -> version.resolve("bin"))
				.orElseThrow();
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("No PostgreSQL server binaries under " + root
					+ ": install Debian's postgresql package (the README's test command, bin/test, does)", ex);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
