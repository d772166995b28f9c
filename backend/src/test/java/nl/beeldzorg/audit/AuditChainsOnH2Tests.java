package nl.beeldzorg.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.SignallingTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One audit chain per consult, on the embedded H2 of demo mode: many sockets joining at
 * once are all admitted (their joins no longer queue on one audit lock), every chain
 * verifies, and a record changed, cut off, added or removed with its whole chain is found
 * by the verification, naming its chain.
 */
class AuditChainsOnH2Tests extends DemoApplicationTests {

	private static final String URL = H2TestDatabase.create("beeldzorg-audit-chains");

	private static final String ZERO = "0".repeat(64);

	@DynamicPropertySource
	static void h2(DynamicPropertyRegistry registry) {
		registry.add("beeldzorg.database.url", () -> URL);
	}

	@Test
	void twoHundredSocketsJoiningSixtyFourAtATimeAreAllAdmittedAndEveryChainVerifies() throws Exception {
		String nurse = this.api.token("nurse.anna");
		String so = this.api.token("so.sophie");
		String soId = this.api.userId("so.sophie");
		List<String> consults = new ArrayList<>();
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			JsonNode started = this.api.post("/api/v1/consults", nurse, Map.of("kind", "BEDSIDE", "locationId",
					"zga-de-sprengel", "clientRef", "K-storm-" + i, "urgency", "ROUTINE", "consultantId", soId),
					HttpStatus.CREATED);
			String id = started.get("id").asString();
			JsonNode accepted = this.api.post("/api/v1/consults/" + id + "/accept", so, HttpStatus.OK);
			consults.add(id);
			tokens.add(started.get("join").get("token").asString());
			tokens.add(accepted.get("join").get("token").asString());
		}

		List<SignallingTestClient> sockets = new ArrayList<>();
		ExecutorService inFlight = Executors.newFixedThreadPool(64);
		try {
			List<Future<String>> answers = new ArrayList<>();
			for (String token : tokens) {
				answers.add(inFlight.submit(() -> {
					// Connected when its turn comes, as a page does: 64 sockets joining
					// at
					// once.
					SignallingTestClient socket = SignallingTestClient.connect(this.port);
					synchronized (sockets) {
						sockets.add(socket);
					}
					socket.send("{\"type\":\"join\",\"token\":\"" + token + "\"}");
					JsonNode answer = socket.next(Duration.ofSeconds(30));
					return answer.get("type").asString().equals("joined") ? "joined" : answer.toString();
				}));
			}
			List<String> failed = new ArrayList<>();
			for (Future<String> answer : answers) {
				String result = answer.get(60, TimeUnit.SECONDS);
				if (!result.equals("joined")) {
					failed.add(result);
				}
			}
			assertThat(failed).isEmpty();

			// The JOINED records are written after admission: all 200 land, each in its
			// consult's chain.
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(count("SELECT COUNT(*) FROM audit_event WHERE action = 'JOINED'"
						+ " AND consult_id IN (SELECT id FROM consult WHERE client_ref LIKE 'K-storm-%')"))
					.isEqualTo(200));
		}
		finally {
			inFlight.shutdownNow();
			synchronized (sockets) {
				sockets.forEach(SignallingTestClient::close);
			}
		}

		JsonNode verification = verification();
		assertThat(verification.get("firstBrokenSeq").isNull()).isTrue();
		assertThat(verification.get("brokenChain").isNull()).isTrue();
		assertThat(verification.get("chains").asLong()).isGreaterThanOrEqualTo(100);

		// One consult's own chain: CREATED, ACCEPTED, two JOINED, each linked to the one
		// before from the all-zero start, numbered from 1.
		String id = consults.get(42);
		JsonNode audit = this.api.get("/api/v1/consults/" + id + "/audit", so, HttpStatus.OK);
		assertThat(audit.size()).isGreaterThanOrEqualTo(4);
		String previous = ZERO;
		long position = 0;
		for (JsonNode record : rowsOfChain(id)) {
			assertThat(record.get("chain").asString()).isEqualTo(id);
			assertThat(record.get("chainSeq").asLong()).isEqualTo(++position);
			assertThat(record.get("prevHash").asString()).isEqualTo(previous);
			previous = record.get("hash").asString();
		}
		assertThat(position).isGreaterThanOrEqualTo(4);
	}

	@Test
	void aChangedCutAddedOrRemovedRecordBreaksItsConsultsChain() throws Exception {
		String nurse = this.api.token("nurse.anna");
		String so = this.api.token("so.sophie");
		String soId = this.api.userId("so.sophie");
		JsonNode started = this.api.post("/api/v1/consults", nurse, Map.of("kind", "BEDSIDE", "locationId",
				"zga-de-sprengel", "clientRef", "K-tamper", "urgency", "ROUTINE", "consultantId", soId),
				HttpStatus.CREATED);
		String id = started.get("id").asString();
		this.api.post("/api/v1/consults/" + id + "/accept", so, HttpStatus.OK);
		this.api.get("/api/v1/consults/" + id, nurse, HttpStatus.OK);
		this.api.post("/api/v1/consults/" + id + "/end", nurse, HttpStatus.OK);
		List<JsonNode> chain = rowsOfChain(id);
		assertThat(chain).hasSizeGreaterThanOrEqualTo(4);
		long middle = chain.get(1).get("seq").asLong();
		long last = chain.get(chain.size() - 1).get("seq").asLong();
		assertThat(verification().get("firstBrokenSeq").isNull()).isTrue();

		try (Connection connection = DriverManager.getConnection(URL, "sa", "");
				Statement statement = connection.createStatement()) {
			// Whoever gets past the database's append-only trigger...
			statement.execute("DROP TRIGGER audit_event_no_change");
			try {
				// ...and changes a record: its own hash no longer matches.
				String detail = chain.get(1).get("detail").isNull() ? null : chain.get(1).get("detail").asString();
				statement.execute("UPDATE audit_event SET actor_id = 'someone-else' WHERE seq = " + middle);
				assertBrokenAt(middle, id);
				try (PreparedStatement undo = connection
					.prepareStatement("UPDATE audit_event SET actor_id = ?, detail = ? WHERE seq = ?")) {
					undo.setString(1, chain.get(1).get("actorId").asString());
					undo.setString(2, detail);
					undo.setLong(3, middle);
					undo.execute();
				}
				assertThat(verification().get("firstBrokenSeq").isNull()).isTrue();

				// ...or cuts off the chain's last record: the chain ends short of its
				// end.
				statement.execute("CREATE TABLE saved_event AS SELECT * FROM audit_event WHERE chain = '" + id + "'");
				statement.execute("DELETE FROM audit_event WHERE seq = " + last);
				assertBrokenAt(last, id);
				statement.execute("INSERT INTO audit_event SELECT * FROM saved_event WHERE seq = " + last);
				assertThat(verification().get("firstBrokenSeq").isNull()).isTrue();

				// ...or adds a well-formed record after it: past the chain's end.
				JsonNode end = chain.get(chain.size() - 1);
				long forgedSeq = last + 1_000_000;
				AuditTrail.Entry forged = new AuditTrail.Entry("someone-else", null, "zga", UUID.fromString(id),
						AuditAction.ENDED, null);
				Instant at = Instant.parse("2026-01-01T00:00:00Z");
				long forgedPosition = end.get("chainSeq").asLong() + 1;
				String hash = AuditTrail.hash(forgedSeq, at, forged, end.get("hash").asString(), id, forgedPosition);
				statement.execute("INSERT INTO audit_event (seq, at, actor_id, institution_id, consult_id, action,"
						+ " prev_hash, hash, chain, chain_seq) VALUES (" + forgedSeq + ", TIMESTAMP WITH TIME ZONE"
						+ " '2026-01-01 00:00:00+00', 'someone-else', 'zga', '" + id + "', 'ENDED', '"
						+ end.get("hash").asString() + "', '" + hash + "', '" + id + "', " + forgedPosition + ")");
				assertBrokenAt(forgedSeq, id);
				statement.execute("DELETE FROM audit_event WHERE seq = " + forgedSeq);
				assertThat(verification().get("firstBrokenSeq").isNull()).isTrue();

				// ...or removes the consult's whole chain: its end names a record that is
				// gone.
				statement.execute("DELETE FROM audit_event WHERE chain = '" + id + "'");
				assertBrokenAt(last, id);
				statement.execute("INSERT INTO audit_event SELECT * FROM saved_event");
				statement.execute("DROP TABLE saved_event");
				assertThat(verification().get("firstBrokenSeq").isNull()).isTrue();
			}
			finally {
				statement.execute("CREATE TRIGGER audit_event_no_change BEFORE UPDATE, DELETE ON audit_event"
						+ " FOR EACH ROW CALL 'nl.beeldzorg.audit.AppendOnlyTrigger'");
			}
		}
	}

	private void assertBrokenAt(long seq, String chain) {
		JsonNode verification = verification();
		assertThat(verification.get("firstBrokenSeq").asLong()).isEqualTo(seq);
		assertThat(verification.get("brokenChain").asString()).isEqualTo(chain);
	}

	private JsonNode verification() {
		return this.api.get("/api/v1/audit/verification", this.api.token("admin.ada"), HttpStatus.OK);
	}

	/**
	 * The records of one chain in order, as the accesses query answers them (all fields).
	 */
	private List<JsonNode> rowsOfChain(String chain) throws SQLException {
		List<JsonNode> rows = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(URL, "sa", "");
				PreparedStatement query = connection
					.prepareStatement("SELECT seq, actor_id, detail, prev_hash, hash, chain, chain_seq FROM audit_event"
							+ " WHERE chain = ? ORDER BY chain_seq")) {
			query.setString(1, chain);
			try (ResultSet result = query.executeQuery()) {
				while (result.next()) {
					tools.jackson.databind.node.ObjectNode row = tools.jackson.databind.json.JsonMapper.builder()
						.build()
						.createObjectNode();
					row.put("seq", result.getLong("seq"));
					row.put("actorId", result.getString("actor_id"));
					row.put("detail", result.getString("detail"));
					row.put("prevHash", result.getString("prev_hash").trim());
					row.put("hash", result.getString("hash").trim());
					row.put("chain", result.getString("chain"));
					row.put("chainSeq", result.getLong("chain_seq"));
					rows.add(row);
				}
			}
		}
		return rows;
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
