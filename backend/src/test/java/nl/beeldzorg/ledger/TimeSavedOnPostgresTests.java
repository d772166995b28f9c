package nl.beeldzorg.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scenarios of {@link TimeSavedEndToEndTests} on the real PostgreSQL.
 */
class TimeSavedOnPostgresTests extends TimeSavedEndToEndTests {

	static final String database = TestPostgres.createDatabase("beeldzorg_ledger");

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		registry.add("beeldzorg.database.url", () -> database);
		registry.add("beeldzorg.database.username", () -> TestPostgres.USER);
	}

	@Test
	void correctionsCloseSevenDaysAfterTheEnd() throws Exception {
		String nurse = this.api.token("nurse.anna");
		String sophie = this.api.token("so.sophie");
		String id = this.api.connectedAndEnded(nurse, sophie, this.api.userId("so.sophie"), "zga-de-sprengel", "SO");
		String path = "/api/v1/consults/" + id + "/outcome";
		this.api.put(path, sophie, Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo", "PHONE_CALL"),
				HttpStatus.OK);
		try (Connection connection = DriverManager.getConnection(database, TestPostgres.USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute("UPDATE consult SET ended_at = ended_at - INTERVAL '8 days' WHERE id = '" + id + "'");
		}
		assertThat(this.api
			.put(path, sophie, Map.of("resolution", "REFERRED", "withoutVideo", "PHONE_CALL"), HttpStatus.CONFLICT)
			.get("code")
			.asString()).isEqualTo("outcome.correction-window-closed");
		assertThat(this.api
			.put(path, sophie, Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo", "PHONE_CALL"), HttpStatus.OK)
			.get("outcome")
			.get("version")
			.asInt()).isEqualTo(1);
	}

	@AfterAll
	static void dropDatabase() {
		TestPostgres.dropDatabase(database);
	}

}
