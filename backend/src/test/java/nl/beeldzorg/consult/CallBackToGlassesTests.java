package nl.beeldzorg.consult;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.SignallingTestClient;
import nl.beeldzorg.support.SseTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SO calls the ward's glasses back after a consult: the glasses paired with the
 * consult's location ring (their stream opened with {@code ?glasses=}), not another
 * ward's, not another institution's; the nurse answers on them and joins the SO's room.
 */
abstract class CallBackToGlassesTests extends DemoApplicationTests {

	@Autowired
	private DatabaseClient db;

	@BeforeEach
	void soOpensHerApp() {
		present("so.sophie");
	}

	@Test
	void callBackRingsOnlyTheWardsGlassesAndTheNurseAnswersAndJoins() {
		String admin = this.api.token("admin.ada");
		String nurse = this.api.token("nurse.anna");
		String sophie = this.api.token("so.sophie");
		String sophieId = this.api.userId("so.sophie");
		this.api.put("/api/v1/admin/glasses/bril-sprengel-01", admin,
				Map.of("name", "Bril De Sprengel", "locationIds", List.of("zga-de-sprengel")), HttpStatus.OK);
		this.api.put("/api/v1/admin/glasses/bril-heemhof-01", admin,
				Map.of("name", "Bril De Heemhof", "locationIds", List.of("zga-de-heemhof")), HttpStatus.OK);
		String ended = this.api.connectedAndEnded(nurse, sophie, sophieId, "zga-de-sprengel", "SO");

		// Another nurse of the ward (Ada, who also administers) wears the glasses now.
		String wearer = this.api.token("admin.ada");
		try (SseTestClient wardGlasses = new SseTestClient(this.port, wearer, "/api/v1/events?glasses=bril-sprengel-01")
			.awaitConnected();
				SseTestClient otherWard = new SseTestClient(this.port, nurse, "/api/v1/events?glasses=bril-heemhof-01")
					.awaitConnected();
				SseTestClient otherInstitution = new SseTestClient(this.port, this.api.token("nurse.bram"),
						"/api/v1/events?glasses=bril-sprengel-01")
					.awaitConnected();
				SseTestClient plainNurseApp = new SseTestClient(this.port, nurse).awaitConnected();
				SseTestClient sophieApp = new SseTestClient(this.port, sophie).awaitConnected()) {
			JsonNode callBack = this.api.post("/api/v1/consults/" + ended + "/call-back", sophie, HttpStatus.CREATED);
			String id = callBack.get("id").asString();
			assertThat(id).isNotEqualTo(ended);
			assertThat(callBack.get("state").asString()).isEqualTo("ACTIVE");
			assertThat(callBack.get("consultant").get("userId").asString()).isEqualTo(sophieId);
			assertThat(callBack.get("locationId").asString()).isEqualTo("zga-de-sprengel");
			assertThat(callBack.get("join").get("token").asString()).isNotBlank();

			JsonNode ringing = wardGlasses.next("consult.ringing");
			assertThat(ringing.get("id").asString()).isEqualTo(id);
			assertThat(ringing.get("callBackOf").asString()).isEqualTo(ended);
			assertThat(ringing.get("join").isNull()).isTrue();

			// Before answering she is no party (the requester of the first consult is):
			// her view has no join; answering invites her.
			assertThat(this.api.get("/api/v1/consults/" + id, wearer, HttpStatus.OK).get("join").isNull()).isTrue();
			JsonNode answered = this.api.post("/api/v1/consults/" + id + "/accept", wearer, HttpStatus.OK);
			assertThat(answered.get("join").get("token").asString()).isNotBlank();
			assertThat(this.api.post("/api/v1/consults/" + id + "/accept", wearer, HttpStatus.OK).get("id").asString())
				.isEqualTo(id);
			JsonNode late = this.api.post("/api/v1/consults/" + id + "/accept", nurse, HttpStatus.CONFLICT);
			assertThat(late.get("code").asString()).isEqualTo("consult.already-accepted");
			assertThat(sophieApp.next("consult.accepted").get("id").asString()).isEqualTo(id);
			assertThat(wardGlasses.next("consult.accepted").get("id").asString()).isEqualTo(id);
			// The other ward's glasses heard the accepted call-back's end of ringing only
			// if they had rung: they did not; nor another institution's nurse, nor the
			// nurse's app without glasses.
			assertThat(otherWard.received()).doesNotContain("consult.ringing", "consult.accepted");
			assertThat(otherInstitution.received()).doesNotContain("consult.ringing", "consult.accepted");
			assertThat(plainNurseApp.received()).doesNotContain("consult.ringing");

			try (SignallingTestClient glassesSocket = SignallingTestClient.connect(this.port);
					SignallingTestClient soSocket = SignallingTestClient.connect(this.port)) {
				JsonNode soJoined = soSocket.join(callBack.get("join").get("token").asString());
				assertThat(soJoined.get("type").asString()).isEqualTo("joined");
				JsonNode glassesJoined = glassesSocket.join(answered.get("join").get("token").asString());
				assertThat(glassesJoined.get("type").asString()).isEqualTo("joined");
				assertThat(glassesJoined.get("consultId").asString()).isEqualTo(id);
				assertThat(glassesJoined.get("peers").get(0).get("discipline").asString()).isEqualTo("SO");
			}
			this.api.post("/api/v1/consults/" + id + "/end", sophie, HttpStatus.OK);
			assertThat(wardGlasses.next("consult.ended").get("id").asString()).isEqualTo(id);

			JsonNode audit = this.api.get("/api/v1/consults/" + id + "/audit", sophie, HttpStatus.OK);
			assertThat(audit.findValuesAsString("action")).contains("CALLED_BACK", "ACCEPTED", "ENDED");
			assertThat(otherWard.received()).doesNotContain("consult.ringing");
		}
	}

	@Test
	void onlyTheConsultantOfAnEndedConsultAtAWardWithGlasses() {
		String admin = this.api.token("admin.ada");
		String nurse = this.api.token("nurse.anna");
		String sophie = this.api.token("so.sophie");
		String sophieId = this.api.userId("so.sophie");
		String unpaired = this.api.connectedAndEnded(nurse, sophie, sophieId, "zga-de-heemhof", "SO");
		JsonNode noGlasses = this.api.post("/api/v1/consults/" + unpaired + "/call-back", sophie,
				HttpStatus.UNPROCESSABLE_CONTENT);
		assertThat(noGlasses.get("code").asString()).isEqualTo("consult.no-paired-glasses");

		this.api.put("/api/v1/admin/glasses/bril-heemhof-02", admin,
				Map.of("name", "Bril De Heemhof", "locationIds", List.of("zga-de-heemhof")), HttpStatus.OK);
		JsonNode byNurse = this.api.post("/api/v1/consults/" + unpaired + "/call-back", nurse, HttpStatus.FORBIDDEN);
		assertThat(byNurse.get("code").asString()).isEqualTo("consult.not-a-party");
		JsonNode foreign = this.api.post("/api/v1/consults/" + unpaired + "/call-back", this.api.token("nurse.bram"),
				HttpStatus.NOT_FOUND);
		assertThat(foreign.get("code").asString()).isEqualTo("consult.not-found");

		// A consult that is no call-back is not answered by a nurse.
		JsonNode notACallBack = this.api.post("/api/v1/consults/" + unpaired + "/accept", nurse, HttpStatus.FORBIDDEN);
		assertThat(notACallBack.get("code").asString()).isEqualTo("consult.not-ringing-for-you");

		// Another institution's nurse cannot answer a call-back; a second nurse comes too
		// late.
		JsonNode callBack = this.api.post("/api/v1/consults/" + unpaired + "/call-back", sophie, HttpStatus.CREATED);
		String id = callBack.get("id").asString();
		JsonNode foreignAnswer = this.api.post("/api/v1/consults/" + id + "/accept", this.api.token("nurse.bram"),
				HttpStatus.NOT_FOUND);
		assertThat(foreignAnswer.get("code").asString()).isEqualTo("consult.not-found");
		this.api.post("/api/v1/consults/" + id + "/accept", nurse, HttpStatus.OK);
		JsonNode active = this.api.post("/api/v1/consults/" + id + "/call-back", sophie, HttpStatus.CONFLICT);
		assertThat(active.get("code").asString()).isEqualTo("consult.invalid-state");
		assertThat(this.db.sql("SELECT answered_by FROM consult_call_back WHERE consult_id = :c")
			.bind("c", java.util.UUID.fromString(id))
			.map((row) -> row.get("answered_by", String.class))
			.one()
			.block(Duration.ofSeconds(10))).isEqualTo(this.api.userId("nurse.anna"));
	}

}
