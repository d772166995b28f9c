package nl.beeldzorg.settings;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import nl.beeldzorg.directory.Location;
import nl.beeldzorg.directory.Subregions;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.DatabaseScheduler;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Writes an institution's settings. Dated settings (rules, bases, travel times) are
 * versions: the same version again is a no-op, other values for an existing date are
 * refused, because ledger entries rest on them.
 */
@Service
class SettingsService {

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	private final Subregions subregions;

	SettingsService(DatabaseClient db, TransactionalOperator tx, DatabaseScheduler scheduler, Clock clock,
			Subregions subregions) {
		this.db = db;
		this.subregions = subregions;
		this.tx = tx;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	Flux<Map<String, Object>> rules(String institutionId) {
		return this.scheduler.run(this.db
			.sql("SELECT version, valid_from, hours_per_fte_per_year, handover_bedside, handover_anw, handover_imoz,"
					+ " handover_expert, handover_cap FROM valuation_rule WHERE institution_id = :i ORDER BY valid_from")
			.bind("i", institutionId)
			.fetch()
			.all()
			.map(SettingsService::camel));
	}

	Mono<Map<String, Object>> addRule(CurrentUser admin, String institutionId, SettingsRequests.Rule rule) {
		Mono<Map<String, Object>> work = this.db
			.sql("SELECT * FROM valuation_rule WHERE institution_id = :i AND valid_from = :d")
			.bind("i", institutionId)
			.bind("d", rule.validFrom())
			.fetch()
			.one()
			.flatMap((existing) -> same(existing, rule) ? Mono.just(camel(existing))
					: Mono.<Map<String, Object>>error(conflict("A rule from " + rule.validFrom() + " exists")))
			.switchIfEmpty(Mono.defer(() -> this.db
				.sql("SELECT COALESCE(MAX(version), 0) AS v FROM valuation_rule WHERE institution_id = :i")
				.bind("i", institutionId)
				.map((row) -> ((Number) Objects.requireNonNull(row.get("v"))).intValue())
				.one()
				.flatMap((version) -> this.db.sql("""
						INSERT INTO valuation_rule (id, institution_id, valid_from, version, hours_per_fte_per_year,
						  handover_bedside, handover_anw, handover_imoz, handover_expert, handover_cap, created_by,
						  created_at)
						VALUES (:id, :i, :d, :v, :h, :b, :a, :m, :e, :c, :by, :at)
						""")
					.bind("id", UUID.randomUUID())
					.bind("i", institutionId)
					.bind("d", rule.validFrom())
					.bind("v", version + 1)
					.bind("h", rule.hoursPerFtePerYear())
					.bind("b", rule.handoverBedside())
					.bind("a", rule.handoverAnw())
					.bind("m", rule.handoverImoz())
					.bind("e", rule.handoverExpert())
					.bind("c", rule.handoverCap())
					.bind("by", admin.userId())
					.bind("at", OffsetDateTime.now(this.clock.withZone(ZoneOffset.UTC)))
					.then()
					.thenReturn(Map.<String, Object>of("version", version + 1, "validFrom",
							rule.validFrom().toString())))));
		return this.scheduler.run(this.tx.transactional(work));
	}

	/** Creates or edits a location of the caller's institution. */
	Mono<Location> putLocation(String institutionId, String id, SettingsRequests.Location location) {
		return this.scheduler.run(this.tx.transactional(upsertLocation(institutionId, id, location)));
	}

	/**
	 * Edits the caller's institution's location, or creates one with an id in its
	 * namespace. Any other id (free, or another institution's) gets one and the same
	 * answer, so the id space tells nothing about other institutions.
	 */
	Mono<Location> upsertLocation(String institutionId, String id, SettingsRequests.Location location) {
		return knownSubregion(location.subregion())
			.then(this.db.sql("SELECT COUNT(*) AS n FROM location WHERE id = :id AND institution_id = :i")
				.bind("id", id)
				.bind("i", institutionId)
				.map((row) -> Objects.requireNonNull(row.get("n", Long.class)))
				.one())
			.flatMap((own) -> (own > 0) ? write(location, id, institutionId,
					"UPDATE location SET name = :name, subregion = :subregion, latitude = :lat, longitude = :lon"
							+ " WHERE id = :id AND institution_id = :i")
					: inNamespace(institutionId, id).then(write(location, id, institutionId,
							"INSERT INTO location (id, institution_id, name, subregion, latitude, longitude)"
									+ " VALUES (:id, :i, :name, :subregion, :lat, :lon)")
						// An id another institution took although it lies in this
						// namespace (stored before namespaces): the same answer.
						.onErrorMap(org.springframework.dao.DataIntegrityViolationException.class,
								(ex) -> outsideNamespace(institutionId, id))))
			.thenReturn(new Location(id, location.name(), institutionId, location.subregion(), location.latitude(),
					location.longitude()));
	}

	/**
	 * A new location's id begins with its institution's id and a dash ({@code zga-…}),
	 * and not with a longer institution id's namespace ({@code zga-noord-…} is
	 * {@code zga-noord}'s). Institutions are no secret; their locations are.
	 */
	private Mono<Void> inNamespace(String institutionId, String id) {
		String own = namespace(institutionId);
		if (!id.startsWith(own)) {
			return Mono.error(outsideNamespace(institutionId, id));
		}
		return this.db.sql("SELECT id FROM institution WHERE id <> :i")
			.bind("i", institutionId)
			.map((row) -> namespace(Objects.requireNonNull(row.get("id", String.class))))
			.all()
			.filter((other) -> other.length() > own.length() && id.startsWith(other))
			.next()
			.flatMap((other) -> Mono.<Void>error(outsideNamespace(institutionId, id)));
	}

	static String namespace(String institutionId) {
		return institutionId.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-") + "-";
	}

	private static ApiException outsideNamespace(String institutionId, String id) {
		return new ApiException(ErrorCode.LOCATION_ID_OUTSIDE_NAMESPACE,
				"'" + id + "' is not one of your institution's locations, and a new location's id begins with '"
						+ namespace(institutionId) + "'",
				"id", FieldErrorCode.NOT_ALLOWED);
	}

	private Mono<Void> knownSubregion(String subregion) {
		return this.subregions.exists(subregion)
			.flatMap(
					(known) -> known ? Mono.<Void>empty()
							: Mono.error(new ApiException(ErrorCode.UNKNOWN_SUBREGION, "No subregion '" + subregion
									+ "' in the region; the programme office keeps the list (GET /api/v1/subregions)",
									"subregion", FieldErrorCode.NOT_ALLOWED)));
	}

	Mono<Map<String, Object>> putBase(String institutionId, String userId, SettingsRequests.Base base) {
		return this.scheduler.run(this.tx.transactional(addBase(institutionId, userId, base)));
	}

	Mono<Map<String, Object>> addBase(String institutionId, String userId, SettingsRequests.Base base) {
		return ownLocation(institutionId, base.locationId())
			.then(this.db.sql("SELECT institution_id FROM practitioner WHERE user_id = :u")
				.bind("u", userId)
				.map((row) -> String.valueOf(row.get("institution_id", String.class)))
				.one()
				.filter(institutionId::equals)
				.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.UNKNOWN_CONSULTANT,
						"No consultant '" + userId + "' in your institution"))))
			.then(dated("SELECT location_id AS v FROM consultant_base WHERE user_id = :a AND valid_from = :d", userId,
					null, base.validFrom(), base.locationId(),
					this.db.sql("INSERT INTO consultant_base (user_id, valid_from, location_id) VALUES (:a, :d, :v)")
						.bind("a", userId)
						.bind("d", base.validFrom())
						.bind("v", base.locationId())))
			.thenReturn(Map.of("userId", userId, "locationId", base.locationId(), "validFrom",
					base.validFrom().toString()));
	}

	Mono<Map<String, Object>> putTravelTime(String institutionId, SettingsRequests.TravelTime travel) {
		return this.scheduler.run(this.tx.transactional(addTravelTime(institutionId, travel)));
	}

	Mono<Map<String, Object>> addTravelTime(String institutionId, SettingsRequests.TravelTime travel) {
		return ownEnd(institutionId, travel.fromLocationId(), "fromLocationId")
			.then(ownEnd(institutionId, travel.toLocationId(), "toLocationId"))
			.then(dated(
					"SELECT minutes AS v FROM travel_time WHERE from_location_id = :a AND to_location_id = :b"
							+ " AND valid_from = :d",
					travel.fromLocationId(), travel.toLocationId(), travel.validFrom(), travel.minutes(),
					this.db
						.sql("INSERT INTO travel_time (id, from_location_id, to_location_id, valid_from, minutes)"
								+ " VALUES (:id, :a, :b, :d, :v)")
						.bind("id", UUID.randomUUID())
						.bind("a", travel.fromLocationId())
						.bind("b", travel.toLocationId())
						.bind("d", travel.validFrom())
						.bind("v", travel.minutes())))
			.thenReturn(Map.of("fromLocationId", travel.fromLocationId(), "toLocationId", travel.toLocationId(),
					"minutes", travel.minutes(), "validFrom", travel.validFrom().toString()));
	}

	Flux<Map<String, Object>> travelTimes(String institutionId) {
		return this.scheduler.run(this.db
			.sql("SELECT t.from_location_id, t.to_location_id, t.minutes, t.valid_from FROM travel_time t"
					+ " JOIN location l ON l.id = t.to_location_id JOIN location f ON f.id = t.from_location_id"
					+ " WHERE l.institution_id = :i AND f.institution_id = :i"
					+ " ORDER BY t.from_location_id, t.to_location_id, t.valid_from")
			.bind("i", institutionId)
			.fetch()
			.all()
			.map(SettingsService::camel));
	}

	/** Column names as the API writes fields: {@code valid_from} → {@code validFrom}. */
	static Map<String, Object> camel(Map<String, Object> row) {
		Map<String, Object> fields = new java.util.LinkedHashMap<>();
		row.forEach((column, value) -> {
			StringBuilder name = new StringBuilder();
			boolean upper = false;
			for (char c : column.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
				if (c == '_') {
					upper = true;
				}
				else {
					name.append(upper ? Character.toUpperCase(c) : c);
					upper = false;
				}
			}
			fields.put(name.toString(), value);
		});
		return fields;
	}

	/**
	 * Inserts a dated version unless the same one exists; other values for the date
	 * conflict.
	 */
	private Mono<Void> dated(String select, String a, @Nullable String b, LocalDate day, Object value,
			GenericExecuteSpec insert) {
		GenericExecuteSpec query = this.db.sql(select).bind("a", a).bind("d", day);
		if (b != null) {
			query = query.bind("b", b);
		}
		return query.map((row) -> String.valueOf(row.get("v")))
			.one()
			.flatMap((existing) -> existing.equals(String.valueOf(value)) ? Mono.<Void>empty()
					: Mono.<Void>error(conflict("Another value from " + day + " exists: " + existing)))
			.switchIfEmpty(Mono.defer(insert::then));
	}

	private Mono<Void> ownLocation(String institutionId, String locationId) {
		return this.db.sql("SELECT institution_id FROM location WHERE id = :id")
			.bind("id", locationId)
			.map((row) -> String.valueOf(row.get("institution_id", String.class)))
			.one()
			.filter(institutionId::equals)
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.UNKNOWN_LOCATION,
					"No location '" + locationId + "' in your institution", "locationId",
					FieldErrorCode.UNKNOWN_LOCATION)))
			.then();
	}

	/**
	 * Both ends of a travel time are the institution's own (a base is one of its
	 * locations): travel into another institution would value its consults. A missing and
	 * a foreign location are answered alike.
	 */
	private Mono<Void> ownEnd(String institutionId, String locationId, String field) {
		return this.db.sql("SELECT COUNT(*) AS n FROM location WHERE id = :id AND institution_id = :i")
			.bind("id", locationId)
			.bind("i", institutionId)
			.map((row) -> Objects.requireNonNull(row.get("n", Long.class)))
			.one()
			.flatMap((n) -> (n > 0) ? Mono.<Void>empty()
					: Mono.error(new ApiException(ErrorCode.TRAVEL_OUTSIDE_INSTITUTION, "'" + locationId
							+ "' is not one of your institution's locations; a travel time runs between two of them",
							field, FieldErrorCode.UNKNOWN_LOCATION)));
	}

	private Mono<Void> write(SettingsRequests.Location location, String id, String institutionId, String sql) {
		GenericExecuteSpec spec = this.db.sql(sql)
			.bind("id", id)
			.bind("i", institutionId)
			.bind("name", location.name())
			.bind("subregion", location.subregion());
		spec = (location.latitude() != null) ? spec.bind("lat", location.latitude())
				: spec.bindNull("lat", Double.class);
		spec = (location.longitude() != null) ? spec.bind("lon", location.longitude())
				: spec.bindNull("lon", Double.class);
		return spec.then();
	}

	private static boolean same(Map<String, Object> existing, SettingsRequests.Rule rule) {
		List<Object> stored = List.of(existing.get("hours_per_fte_per_year"), existing.get("handover_bedside"),
				existing.get("handover_anw"), existing.get("handover_imoz"), existing.get("handover_expert"),
				existing.get("handover_cap"));
		List<Integer> asked = List.of(rule.hoursPerFtePerYear(), rule.handoverBedside(), rule.handoverAnw(),
				rule.handoverImoz(), rule.handoverExpert(), rule.handoverCap());
		return stored.stream().map((v) -> ((Number) v).intValue()).toList().equals(asked);
	}

	private static ApiException conflict(String detail) {
		return new ApiException(ErrorCode.SETTINGS_CONFLICT, detail + "; settings are versioned by date");
	}

}
