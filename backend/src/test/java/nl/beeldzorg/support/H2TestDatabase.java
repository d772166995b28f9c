package nl.beeldzorg.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * A fresh embedded H2 file database in PostgreSQL mode, as demo mode uses.
 */
public final class H2TestDatabase {

	private H2TestDatabase() {
	}

	/**
	 * @param prefix a readable prefix for the temporary directory
	 * @return the JDBC URL of an empty database
	 */
	public static String create(String prefix) {
		try {
			return "jdbc:h2:file:" + Files.createTempDirectory(prefix).resolve("db")
					+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
