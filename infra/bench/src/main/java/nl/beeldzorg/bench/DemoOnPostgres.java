package nl.beeldzorg.bench;

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
import java.util.List;

/**
 * A demo backend jar on a database of its own, made afresh on the local PostgreSQL,
 * without the demo's seeded history (a benchmark brings its own data). The read and
 * report benchmarks start one each.
 */
final class DemoOnPostgres implements AutoCloseable {

	static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	private final ServerProcess process;

	private final String base;

	private DemoOnPostgres(ServerProcess process, String base) {
		this.process = process;
		this.base = base;
	}

	/**
	 * Drops and creates {@code database}, starts {@code backendJar} on it with
	 * {@code heap} (e.g. {@code -Xmx1g}) and waits until its health says UP.
	 */
	static DemoOnPostgres start(String database, String heap, String backendJar)
			throws IOException, SQLException, InterruptedException {
		try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
				Statement statement = admin.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
			statement.execute("CREATE DATABASE " + database);
		}
		Path work = Files.createTempDirectory(database.replace('_', '-'));
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		List<String> command = new ArrayList<>(List.of(heap, "-jar", new File(backendJar).getAbsolutePath(),
				"--spring.profiles.active=demo", "--server.port=" + port,
				"--beeldzorg.database.url=" + SERVER + database, "--beeldzorg.database.username=postgres",
				"--logging.level.root=WARN", "--beeldzorg.demo.history=false"));
		ServerProcess process = ServerProcess.start("backend", command, work.toFile(),
				work.resolve("backend.log").toFile());
		String base = "http://127.0.0.1:" + port;
		try {
			process.awaitUp(base + "/actuator/health");
		}
		catch (RuntimeException | InterruptedException ex) {
			process.close();
			throw ex;
		}
		return new DemoOnPostgres(process, base);
	}

	/** {@code http://127.0.0.1:<port>} */
	String base() {
		return this.base;
	}

	@Override
	public void close() throws InterruptedException {
		this.process.close();
	}

}
