package nl.beeldzorg.consult;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;

import nl.beeldzorg.operations.OperationsMetrics;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up runs every round it is given while readiness still refuses traffic, and
 * leaves nothing behind: no consult, ring, practitioner, institution, audit record or
 * audit chain. The first check of the audit chain is over before readiness too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "beeldzorg.warm-up.rounds=20", "beeldzorg.warm-up.max-duration=120s" })
class WarmUpTests extends DemoApplicationTests {

	private static final String URL = H2TestDatabase.create("beeldzorg-warm-up");

	@DynamicPropertySource
	static void h2(DynamicPropertyRegistry registry) {
		registry.add("beeldzorg.database.url", () -> URL);
	}

	@Autowired
	private WarmUp warmUp;

	@Autowired
	private OperationsMetrics operations;

	@Autowired
	private MeterRegistry meters;

	@Test
	void warmsUpBeforeReadinessAndLeavesNoRecord() throws Exception {
		assertThat(this.warmUp.rounds()).isEqualTo(20);
		assertThat(this.warmUp.readinessWhileWarming()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
		this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		// The first audit chain check (every record read) was over before readiness: it
		// never runs beside a new node's first requests.
		assertThat(this.operations.awaitFirstAuditVerification(Duration.ZERO)).isTrue();
		assertThat(this.meters.get("beeldzorg.audit.chain.intact").gauge().value()).isEqualTo(1.0);

		assertThat(count("SELECT COUNT(*) FROM consult")).isZero();
		assertThat(count("SELECT COUNT(*) FROM consult_ring")).isZero();
		// The made-up requester was made known and her institution created, rolled back.
		assertThat(count("SELECT COUNT(*) FROM practitioner WHERE user_id LIKE 'warm-up%'")).isZero();
		assertThat(count("SELECT COUNT(*) FROM institution WHERE id = 'warm-up'")).isZero();
		assertThat(count("SELECT COUNT(*) FROM audit_event WHERE actor_id = 'warm-up-nurse'")).isZero();
		// No consult, so no consult's chain either: only institution or region chains.
		assertThat(count(
				"SELECT COUNT(*) FROM audit_chain WHERE chain NOT LIKE 'institution:%'" + " AND chain <> 'region'"))
			.isZero();
		JsonNode verification = this.api.get("/api/v1/audit/verification", this.api.token("admin.ada"), HttpStatus.OK);
		assertThat(verification.get("firstBrokenSeq").isNull()).isTrue();
	}

	private static long count(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL, "sa", "");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

}
