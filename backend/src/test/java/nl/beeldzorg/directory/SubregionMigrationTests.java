package nl.beeldzorg.directory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import nl.beeldzorg.support.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V14 on a database that already has locations (PostgreSQL, as in production): every
 * subregion a location names is on the new list, so no location is left in a subregion
 * the programme office does not know and every existing roster stays usable.
 */
class SubregionMigrationTests {

	@Test
	void theSubregionsLocationsAlreadyNameAreListed() throws Exception {
		String database = TestPostgres.createDatabase("beeldzorg_v14");
		try {
			// Up to V13: the repeatable audit triggers need its audit_subject.
			flyway(database, "13").migrate();
			try (Connection connection = DriverManager.getConnection(database, TestPostgres.USER, "");
					Statement statement = connection.createStatement()) {
				statement.execute("INSERT INTO institution (id, name) VALUES ('zga', 'Zorggroep Apeldoorn'),"
						+ " ('atlant', 'Atlant')");
				statement.execute("INSERT INTO location (id, institution_id, name, subregion) VALUES"
						+ " ('zga-a', 'zga', 'A', 'apeldoorn-noord'), ('zga-b', 'zga', 'B', 'apeldoorn-zuid'),"
						+ " ('atlant-c', 'atlant', 'C', 'apeldoorn-zuid'), ('atlant-d', 'atlant', 'D', 'Epe en Vaassen')");
			}
			flyway(database, "14").migrate();
			List<String> listed = new ArrayList<>();
			try (Connection connection = DriverManager.getConnection(database, TestPostgres.USER, "");
					Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT id FROM subregion ORDER BY id")) {
				while (rows.next()) {
					listed.add(rows.getString("id"));
				}
			}
			assertThat(listed).containsExactly("Epe en Vaassen", "apeldoorn-noord", "apeldoorn-zuid");
		}
		finally {
			TestPostgres.dropDatabase(database);
		}
	}

	private static Flyway flyway(String url, String target) {
		return Flyway.configure()
			.dataSource(url, TestPostgres.USER, "")
			.locations("classpath:db/migration", "classpath:db/vendor/postgresql")
			.target(target)
			.load();
	}

}
