package nl.beeldzorg.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ADMIN pairs the ward's glasses with some of the institution's locations; the glasses
 * (the app asks with its device id) then offer only those.
 */
abstract class GlassesPairingTests extends DemoApplicationTests {

	@Autowired
	private DatabaseClient db;

	private List<String> locationIds(String path, String token) {
		List<String> ids = new ArrayList<>();
		for (JsonNode location : this.api.get(path, token, HttpStatus.OK)) {
			ids.add(location.get("id").asString());
		}
		return ids;
	}

	@Test
	void pairedGlassesOfferOnlyTheirWardsLocations() {
		String admin = this.api.token("admin.ada");
		String nurse = this.api.token("nurse.anna");
		List<String> all = locationIds("/api/v1/locations", nurse);
		assertThat(all).hasSizeGreaterThanOrEqualTo(2);
		String ward = all.get(1);
		// Not yet paired: all of the nurse's institution's locations.
		assertThat(locationIds("/api/v1/locations?glasses=bril-linde-0001", nurse)).isEqualTo(all);

		JsonNode paired = this.api.put("/api/v1/admin/glasses/bril-linde-0001", admin,
				Map.of("name", "Bril De Linde", "locationIds", List.of(ward, ward)), HttpStatus.OK);
		assertThat(paired.get("locationIds").size()).isEqualTo(1);
		assertThat(locationIds("/api/v1/locations?glasses=bril-linde-0001", nurse)).containsExactly(ward);
		assertThat(locationIds("/api/v1/locations", nurse)).isEqualTo(all);
		JsonNode listed = this.api.get("/api/v1/admin/glasses", admin, HttpStatus.OK);
		assertThat(listed.get(0).get("deviceId").asString()).isEqualTo("bril-linde-0001");
		assertThat(listed.get(0).get("name").asString()).isEqualTo("Bril De Linde");

		// Another institution's nurse on these glasses: her own locations, none of ours.
		String atlant = this.api.token("nurse.bram");
		List<String> theirs = locationIds("/api/v1/locations", atlant);
		assertThat(locationIds("/api/v1/locations?glasses=bril-linde-0001", atlant)).isEqualTo(theirs)
			.doesNotContain(ward);

		// Re-pairing replaces the locations; unpairing brings all back.
		this.api.put("/api/v1/admin/glasses/bril-linde-0001", admin,
				Map.of("name", "Bril De Linde", "locationIds", List.of(all.get(0))), HttpStatus.OK);
		assertThat(locationIds("/api/v1/locations?glasses=bril-linde-0001", nurse)).containsExactly(all.get(0));
		this.api.send(HttpMethod.DELETE, "/api/v1/admin/glasses/bril-linde-0001", admin, null, HttpStatus.NO_CONTENT);
		assertThat(locationIds("/api/v1/locations?glasses=bril-linde-0001", nurse)).isEqualTo(all);
		JsonNode gone = this.api.send(HttpMethod.DELETE, "/api/v1/admin/glasses/bril-linde-0001", admin, null,
				HttpStatus.NOT_FOUND);
		assertThat(gone.get("code").asString()).isEqualTo("request.not-found");
	}

	@Test
	void glassesAskWhetherTheirInstitutionPairedThem() {
		String admin = this.api.token("admin.ada");
		String nurse = this.api.token("nurse.anna");
		String path = "/api/v1/glasses/pairing?deviceId=bril-linde-0003";
		JsonNode unpaired = this.api.get(path, nurse, HttpStatus.OK);
		assertThat(unpaired.get("deviceId").asString()).isEqualTo("bril-linde-0003");
		assertThat(unpaired.get("paired").asBoolean()).isFalse();
		assertThat(unpaired.get("name").isNull()).isTrue();

		String ward = locationIds("/api/v1/locations", nurse).get(0);
		this.api.put("/api/v1/admin/glasses/bril-linde-0003", admin,
				Map.of("name", "Bril De Linde", "locationIds", List.of(ward)), HttpStatus.OK);
		JsonNode paired = this.api.get(path, nurse, HttpStatus.OK);
		assertThat(paired.get("paired").asBoolean()).isTrue();
		assertThat(paired.get("name").asString()).isEqualTo("Bril De Linde");
		// Another institution learns nothing of our pairing.
		JsonNode elsewhere = this.api.get(path, this.api.token("nurse.bram"), HttpStatus.OK);
		assertThat(elsewhere.get("paired").asBoolean()).isFalse();
		assertThat(elsewhere.get("name").isNull()).isTrue();

		JsonNode badId = this.api.get("/api/v1/glasses/pairing?deviceId=x%27", nurse, HttpStatus.BAD_REQUEST);
		assertThat(badId.get("code").asString()).isEqualTo("request.invalid");
		this.api.send(HttpMethod.DELETE, "/api/v1/admin/glasses/bril-linde-0003", admin, null, HttpStatus.NO_CONTENT);
		assertThat(this.api.get(path, nurse, HttpStatus.OK).get("paired").asBoolean()).isFalse();
	}

	@Test
	void onlyTheAdminsOwnLocationsAndOnlyAnAdmin() {
		String admin = this.api.token("admin.ada");
		String foreign = locationIds("/api/v1/locations", this.api.token("nurse.bram")).get(0);
		JsonNode refused = this.api.put("/api/v1/admin/glasses/bril-linde-0002", admin,
				Map.of("name", "Bril De Linde", "locationIds", List.of(foreign)), HttpStatus.UNPROCESSABLE_CONTENT);
		assertThat(refused.get("code").asString()).isEqualTo("settings.glasses-location-outside-institution");
		JsonNode unknown = this.api.put("/api/v1/admin/glasses/bril-linde-0002", admin,
				Map.of("name", "Bril De Linde", "locationIds", List.of("zga-does-not-exist")),
				HttpStatus.UNPROCESSABLE_CONTENT);
		assertThat(unknown.get("code").asString()).isEqualTo("settings.glasses-location-outside-institution");
		JsonNode badId = this.api.put("/api/v1/admin/glasses/x", admin,
				Map.of("name", "Bril", "locationIds", List.of(foreign)), HttpStatus.BAD_REQUEST);
		assertThat(badId.get("code").asString()).isEqualTo("request.invalid");
		String nurse = this.api.token("nurse.anna");
		String own = locationIds("/api/v1/locations", nurse).get(0);
		this.api.put("/api/v1/admin/glasses/bril-linde-0002", nurse,
				Map.of("name", "Bril De Linde", "locationIds", List.of(own)), HttpStatus.FORBIDDEN);
		this.api.get("/api/v1/admin/glasses", nurse, HttpStatus.FORBIDDEN);
	}

	@Test
	void glassesAnotherInstitutionPairedStayTheirs() {
		String atlantLocation = locationIds("/api/v1/locations", this.api.token("nurse.bram")).get(0);
		String atlant = this.db.sql("SELECT institution_id FROM location WHERE id = :l")
			.bind("l", atlantLocation)
			.map((row) -> row.get("institution_id", String.class))
			.one()
			.block(java.time.Duration.ofSeconds(10));
		this.db
			.sql("INSERT INTO glasses_pairing (device_id, institution_id, name, updated_by, updated_at)"
					+ " VALUES ('bril-atlant-0001', :i, 'Bril Sparrenheuvel', 'test', CURRENT_TIMESTAMP)")
			.bind("i", atlant)
			.then()
			.block(java.time.Duration.ofSeconds(10));
		String admin = this.api.token("admin.ada");
		String own = locationIds("/api/v1/locations", this.api.token("nurse.anna")).get(0);
		JsonNode refused = this.api.put("/api/v1/admin/glasses/bril-atlant-0001", admin,
				Map.of("name", "Van ons", "locationIds", List.of(own)), HttpStatus.CONFLICT);
		assertThat(refused.get("code").asString()).isEqualTo("settings.glasses-paired-elsewhere");
		this.api.send(HttpMethod.DELETE, "/api/v1/admin/glasses/bril-atlant-0001", admin, null, HttpStatus.NOT_FOUND);
		assertThat(this.api.get("/api/v1/admin/glasses", admin, HttpStatus.OK).size()).isZero();
	}

}
