package nl.beeldzorg.settings;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import nl.beeldzorg.directory.Directory;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.CurrentUsers;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.DatabaseScheduler;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;
import nl.beeldzorg.system.NoBsn;
import nl.beeldzorg.system.PlainName;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An ADMIN pairs the ward's glasses (the Android app's device id) with locations of the
 * institution: those glasses then offer only those locations ({@code GET
 * /api/v1/locations?glasses=…}).
 */
@RestController
@RequestMapping("/api/v1/admin/glasses")
class GlassesController {

	private final CurrentUsers users;

	private final Directory directory;

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	GlassesController(CurrentUsers users, Directory directory, DatabaseClient db, TransactionalOperator tx,
			DatabaseScheduler scheduler, Clock clock) {
		this.users = users;
		this.directory = directory;
		this.db = db;
		this.tx = tx;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	@GetMapping
	Flux<Pairing> list() {
		return admin().flatMapMany((admin) -> this.scheduler
			.run(this.db.sql("SELECT device_id FROM glasses_pairing WHERE institution_id = :i ORDER BY name, device_id")
				.bind("i", institution(admin))
				.map((row) -> Objects.requireNonNull(row.get("device_id", String.class)))
				.all()
				.concatMap((deviceId) -> pairing(deviceId))));
	}

	@PutMapping("/{deviceId}")
	Mono<Pairing> pair(@PathVariable String deviceId, @Valid @RequestBody PairingRequest request) {
		checkDeviceId(deviceId);
		List<String> locationIds = new ArrayList<>(new LinkedHashSet<>(request.locationIds()));
		return admin().flatMap((admin) -> {
			String institution = institution(admin);
			Mono<Pairing> work = this.db.sql("SELECT institution_id FROM glasses_pairing WHERE device_id = :d")
				.bind("d", deviceId)
				.map((row) -> Objects.requireNonNull(row.get("institution_id", String.class)))
				.one()
				.flatMap((owner) -> owner.equals(institution) ? Mono.just(owner)
						: Mono.<String>error(new ApiException(ErrorCode.GLASSES_PAIRED_ELSEWHERE,
								"These glasses are paired with another institution")))
				.then(this.directory.locations(institution).map((location) -> location.id()).collectList())
				.flatMap((own) -> {
					List<String> foreign = locationIds.stream().filter((id) -> !own.contains(id)).toList();
					if (!foreign.isEmpty()) {
						return Mono.error(new ApiException(ErrorCode.GLASSES_LOCATION_OUTSIDE_INSTITUTION,
								"Not locations of your institution: " + foreign, "locationIds", FieldErrorCode.FORMAT));
					}
					OffsetDateTime now = OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
					return this.db.sql("DELETE FROM glasses_pairing WHERE device_id = :d")
						.bind("d", deviceId)
						.then()
						.then(this.db.sql("""
								INSERT INTO glasses_pairing (device_id, institution_id, name, updated_by, updated_at)
								VALUES (:d, :i, :n, :u, :t)""")
							.bind("d", deviceId)
							.bind("i", institution)
							.bind("n", request.name())
							.bind("u", admin.userId())
							.bind("t", now)
							.then())
						.thenMany(Flux.fromIterable(locationIds)
							.concatMap((locationId) -> this.db
								.sql("INSERT INTO glasses_pairing_location (device_id, location_id) VALUES (:d, :l)")
								.bind("d", deviceId)
								.bind("l", locationId)
								.then()))
						.then(Mono.just(new Pairing(deviceId, request.name(), locationIds)));
				});
			return this.scheduler.run(this.tx.transactional(work));
		});
	}

	@DeleteMapping("/{deviceId}")
	Mono<ResponseEntity<Void>> unpair(@PathVariable String deviceId) {
		checkDeviceId(deviceId);
		return admin()
			.flatMap((admin) -> this.scheduler
				.run(this.db.sql("DELETE FROM glasses_pairing WHERE device_id = :d AND institution_id = :i")
					.bind("d", deviceId)
					.bind("i", institution(admin))
					.fetch()
					.rowsUpdated()))
			.flatMap((deleted) -> (deleted > 0) ? Mono.just(ResponseEntity.noContent().<Void>build())
					: Mono.error(new ApiException(ErrorCode.NOT_FOUND, "No such paired glasses")));
	}

	private Mono<Pairing> pairing(String deviceId) {
		return this.db.sql("SELECT name FROM glasses_pairing WHERE device_id = :d")
			.bind("d", deviceId)
			.map((row) -> Objects.requireNonNull(row.get("name", String.class)))
			.one()
			.flatMap((name) -> this.db
				.sql("SELECT location_id FROM glasses_pairing_location WHERE device_id = :d ORDER BY location_id")
				.bind("d", deviceId)
				.map((row) -> Objects.requireNonNull(row.get("location_id", String.class)))
				.all()
				.collectList()
				.map((locations) -> new Pairing(deviceId, name, locations)));
	}

	private static void checkDeviceId(String deviceId) {
		if (!deviceId.matches("[A-Za-z0-9][A-Za-z0-9-]{7,63}")) {
			throw new ApiException(ErrorCode.REQUEST_INVALID,
					"a device id is 8 to 64 letters, digits and dashes, as the glasses app shows it", "deviceId",
					FieldErrorCode.FORMAT);
		}
	}

	private Mono<CurrentUser> admin() {
		return this.users.current()
			.filter((user) -> user.hasRole(CurrentUser.ADMIN) && user.institutionId() != null)
			.switchIfEmpty(Mono.error(
					() -> new ApiException(ErrorCode.FORBIDDEN, "Only an ADMIN of an institution pairs its glasses")))
			.flatMap((admin) -> this.directory.remember(admin).thenReturn(admin));
	}

	private static String institution(CurrentUser admin) {
		return Objects.requireNonNull(admin.institutionId());
	}

	/**
	 * @param name as the ward knows the glasses, e.g. "Bril De Linde"
	 * @param locationIds the institution's locations the glasses offer
	 */
	record PairingRequest(@NotBlank @Size(max = 200) @PlainName @NoBsn String name,
			@NotNull @Size(min = 1, max = 100) List<@NotBlank @Size(max = 64) String> locationIds) {
	}

	record Pairing(String deviceId, String name, List<String> locationIds) {
	}

}
