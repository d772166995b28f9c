package nl.beeldzorg.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fresh databases on the real PostgreSQL of this machine (127.0.0.1:5432, user
 * {@code postgres}, trust auth). The README's test command starts that server when it is
 * not running; when it is unreachable the test fails and says how to start it.
 */
public final class TestPostgres {

	/** The server, overridable with {@code BEELDZORG_TEST_POSTGRES}. */
	public static final String SERVER = System.getenv()
		.getOrDefault("BEELDZORG_TEST_POSTGRES", "jdbc:postgresql://127.0.0.1:5432/");

	/** The user, overridable with {@code BEELDZORG_TEST_POSTGRES_USER}. */
	public static final String USER = System.getenv().getOrDefault("BEELDZORG_TEST_POSTGRES_USER", "postgres");

	private TestPostgres() {
	}

	/**
	 * Creates an empty database with a unique name.
	 * @param prefix a readable prefix
	 * @return its JDBC URL
	 */
	public static String createDatabase(String prefix) {
		String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection(SERVER + "postgres", USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + name + " at " + SERVER + " as " + USER + " ("
					+ ex.getMessage()
					+ "). If PostgreSQL is not running, start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
					+ " (or run the README's test command, bin/test, which does)", ex);
		}
		return SERVER + name;
	}

	/**
	 * Drops a database made by {@link #createDatabase(String)}.
	 * @param url its JDBC URL
	 */
	public static void dropDatabase(String url) {
		String name = url.substring(url.lastIndexOf('/') + 1);
		try (Connection connection = DriverManager.getConnection(SERVER + "postgres", USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not drop " + name, ex);
		}
	}

}
