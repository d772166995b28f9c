package nl.beeldzorg.directory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.system.DatabaseScheduler;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;

/**
 * Institutions, care locations and practitioners. Practitioners are learnt from the
 * claims of their access tokens the first time they use the API, so routing knows whom to
 * ring.
 */
@Component
public class Directory {

	private static final Duration REMEMBER_EVERY = Duration.ofMinutes(10);

	private final DatabaseClient db;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	private final Map<String, Seen> seen = new ConcurrentHashMap<>();

	Directory(DatabaseClient db, DatabaseScheduler scheduler, Clock clock) {
		this.db = db;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	/**
	 * @param institutionId an institution
	 * @return its care locations, by name
	 */
	public Flux<Location> locations(String institutionId) {
		return this.scheduler
			.run(this.db.sql("SELECT * FROM location WHERE institution_id = :institution ORDER BY name")
				.bind("institution", institutionId)
				.map(Directory::readLocation)
				.all());
	}

	/**
	 * The locations glasses paired by the institution offer.
	 * @param institutionId the signed-in user's institution
	 * @param deviceId the glasses app's device id
	 * @return the paired locations, ordered by name; empty when the glasses are not
	 * paired with that institution
	 */
	public Flux<Location> pairedLocations(String institutionId, String deviceId) {
		return this.scheduler.run(this.db.sql("""
				SELECT l.* FROM location l
				JOIN glasses_pairing_location pl ON pl.location_id = l.id
				JOIN glasses_pairing p ON p.device_id = pl.device_id
				WHERE p.device_id = :device AND p.institution_id = :institution AND l.institution_id = :institution
				ORDER BY l.name""")
			.bind("device", deviceId)
			.bind("institution", institutionId)
			.map(Directory::readLocation)
			.all());
	}

	/**
	 * @param institutionId the signed-in user's institution
	 * @param deviceId the glasses app's device id
	 * @return the name the institution paired the glasses under; empty when it did not
	 */
	public Mono<String> pairingName(String institutionId, String deviceId) {
		return this.scheduler.run(this.db
			.sql("SELECT name FROM glasses_pairing WHERE device_id = :device AND institution_id = :institution")
			.bind("device", deviceId)
			.bind("institution", institutionId)
			.map((row) -> Objects.requireNonNull(row.get("name", String.class)))
			.one());
	}

	/**
	 * @param locationId a location
	 * @return it, if it exists
	 */
	public Mono<Location> location(String locationId) {
		return this.db.sql("SELECT * FROM location WHERE id = :id")
			.bind("id", locationId)
			.map(Directory::readLocation)
			.one();
	}

	/**
	 * Consultants of one discipline in one institution.
	 * @param institutionId the institution
	 * @param discipline the discipline
	 * @return their user ids
	 */
	public Flux<Practitioner> consultants(String institutionId, Discipline discipline) {
		return this.db
			.sql("SELECT * FROM practitioner WHERE institution_id = :institution AND discipline = :discipline"
					+ " ORDER BY user_id")
			.bind("institution", institutionId)
			.bind("discipline", discipline.name())
			.map(Directory::read)
			.all();
	}

	/**
	 * @param discipline a discipline
	 * @return its practitioners in every institution
	 */
	public Flux<Practitioner> ofDiscipline(Discipline discipline) {
		return this.db.sql("SELECT * FROM practitioner WHERE discipline = :discipline ORDER BY user_id")
			.bind("discipline", discipline.name())
			.map(Directory::read)
			.all();
	}

	/**
	 * @param userId a user
	 * @return that practitioner, if known
	 */
	public Mono<Practitioner> practitioner(String userId) {
		return this.db.sql("SELECT * FROM practitioner WHERE user_id = :id")
			.bind("id", userId)
			.map(Directory::read)
			.one();
	}

	/**
	 * @param userIds some users
	 * @return the display names of those that are known
	 */
	public Mono<Map<String, String>> names(Collection<String> userIds) {
		if (userIds.isEmpty()) {
			return Mono.just(Map.of());
		}
		return this.scheduler.run(this.db.sql("SELECT user_id, name FROM practitioner WHERE user_id IN (:ids)")
			.bind("ids", List.copyOf(userIds))
			.map((row) -> Map.entry(row.get("user_id", String.class), row.get("name", String.class)))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	/**
	 * Records (or refreshes) a practitioner from their access token, at most every ten
	 * minutes per user.
	 * @param user the caller
	 * @return completion
	 */
	public Mono<Void> remember(CurrentUser user) {
		Instant now = this.clock.instant();
		Seen last = this.seen.get(user.userId());
		Seen current = new Seen(user, now);
		if (last != null && last.user().equals(user) && last.at().plus(REMEMBER_EVERY).isAfter(now)) {
			return Mono.empty();
		}
		return this.scheduler.run(upsert(user, now)).doOnSuccess((ignored) -> this.seen.put(user.userId(), current));
	}

	Mono<Void> upsert(CurrentUser user, Instant now) {
		OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
		GenericExecuteSpec update = bindUser(this.db.sql("""
				UPDATE practitioner SET name = :name, discipline = :discipline, institution_id = :institution,
				  practice_id = :practice, last_seen_at = :at WHERE user_id = :id
				"""), user, at);
		GenericExecuteSpec insert = bindUser(
				this.db.sql("INSERT INTO practitioner (user_id, name, discipline, institution_id, practice_id,"
						+ " last_seen_at) VALUES (:id, :name, :discipline, :institution, :practice, :at)"),
				user, at);
		return ensureInstitution(user.institutionId()).then(update.fetch()
			.rowsUpdated()
			.flatMap((rows) -> (rows == 0) ? insert.fetch().rowsUpdated() : Mono.just(rows))
			// Two first requests of a new user at once (the app opens its event stream
			// and
			// reads its availability): the second insert loses and updates instead.
			.onErrorResume(org.springframework.dao.DataIntegrityViolationException.class,
					(ex) -> update.fetch().rowsUpdated())
			.then());
	}

	/**
	 * Institutions are learnt from tokens too: the first user of one creates its row
	 * (named by its id until an ADMIN names it), so its locations and settings have a
	 * home.
	 */
	private Mono<Void> ensureInstitution(@Nullable String institutionId) {
		if (institutionId == null) {
			return Mono.empty();
		}
		return this.db
			.sql("INSERT INTO institution (id, name) SELECT :id, :id WHERE NOT EXISTS"
					+ " (SELECT 1 FROM institution WHERE id = :id)")
			.bind("id", institutionId)
			.then()
			.onErrorResume(org.springframework.dao.DataIntegrityViolationException.class, (ex) -> Mono.empty());
	}

	/**
	 * @param institutionId an institution
	 * @param name its name as people know it
	 * @return completion
	 */
	public Mono<Void> renameInstitution(String institutionId, String name) {
		return this.scheduler
			.run(ensureInstitution(institutionId).then(this.db.sql("UPDATE institution SET name = :name WHERE id = :id")
				.bind("name", name)
				.bind("id", institutionId)
				.then()));
	}

	/**
	 * @param institutionId an institution
	 * @return how its consults are routed and what a requester is told when nobody
	 * answered
	 */
	public Mono<InstitutionRouting> routing(String institutionId) {
		return this.db.sql("SELECT fallback_phone, fallback_instructions, stepped_care FROM institution WHERE id = :id")
			.bind("id", institutionId)
			.map((row) -> new InstitutionRouting(row.get("fallback_phone", String.class),
					row.get("fallback_instructions", String.class),
					Boolean.TRUE.equals(row.get("stepped_care", Boolean.class))))
			.one()
			.defaultIfEmpty(new InstitutionRouting(null, null, false));
	}

	/**
	 * Changes the given routing settings; absent ones stay.
	 * @param institutionId the institution
	 * @param fallbackPhone the number to call when nobody answered
	 * @param fallbackInstructions what else to do then
	 * @param steppedCare whether an SO consult rings a VS or PA first
	 * @return completion
	 */
	public Mono<Void> updateRouting(String institutionId, @Nullable String fallbackPhone,
			@Nullable String fallbackInstructions, @Nullable Boolean steppedCare) {
		return this.scheduler.run(ensureInstitution(institutionId).then(this.db.sql("""
				UPDATE institution SET fallback_phone = COALESCE(:phone, fallback_phone),
				  fallback_instructions = COALESCE(:instructions, fallback_instructions),
				  stepped_care = COALESCE(:stepped, stepped_care)
				WHERE id = :id""")
			.bind("id", institutionId)
			.bind("phone", io.r2dbc.spi.Parameters.in(io.r2dbc.spi.R2dbcType.VARCHAR, fallbackPhone))
			.bind("instructions", io.r2dbc.spi.Parameters.in(io.r2dbc.spi.R2dbcType.VARCHAR, fallbackInstructions))
			.bind("stepped", io.r2dbc.spi.Parameters.in(io.r2dbc.spi.R2dbcType.BOOLEAN, steppedCare))
			.then()));
	}

	Mono<Void> insertInstitution(DemoDirectory.Institution institution) {
		return this.db.sql("INSERT INTO institution (id, name) VALUES (:id, :name)")
			.bind("id", institution.id())
			.bind("name", institution.name())
			.then();
	}

	Mono<Void> insertLocation(Location location) {
		GenericExecuteSpec spec = this.db
			.sql("INSERT INTO location (id, institution_id, name, subregion, latitude, longitude)"
					+ " VALUES (:id, :institution, :name, :subregion, :latitude, :longitude)")
			.bind("id", location.id())
			.bind("institution", location.institutionId())
			.bind("name", location.name())
			.bind("subregion", location.subregion());
		spec = (location.latitude() != null) ? spec.bind("latitude", location.latitude())
				: spec.bindNull("latitude", Double.class);
		spec = (location.longitude() != null) ? spec.bind("longitude", location.longitude())
				: spec.bindNull("longitude", Double.class);
		return spec.then();
	}

	Mono<Void> insertBase(String userId, String locationId, java.time.LocalDate validFrom) {
		return this.db
			.sql("INSERT INTO consultant_base (user_id, valid_from, location_id) VALUES (:user, :from, :location)")
			.bind("user", userId)
			.bind("from", validFrom)
			.bind("location", locationId)
			.then();
	}

	Mono<Void> insertTrip(String from, String to, int minutes, java.time.LocalDate validFrom) {
		return this.db
			.sql("INSERT INTO travel_time (id, from_location_id, to_location_id, valid_from, minutes)"
					+ " VALUES (:id, :from, :to, :validFrom, :minutes)")
			.bind("id", java.util.UUID.randomUUID())
			.bind("from", from)
			.bind("to", to)
			.bind("validFrom", validFrom)
			.bind("minutes", minutes)
			.then();
	}

	Mono<Boolean> hasBases() {
		return this.db.sql("SELECT COUNT(*) AS n FROM consultant_base")
			.map((row) -> row.get("n", Long.class))
			.one()
			.map((n) -> n > 0);
	}

	Mono<Boolean> hasInstitution(String id) {
		return this.db.sql("SELECT COUNT(*) AS n FROM institution WHERE id = :id")
			.bind("id", id)
			.map((row) -> row.get("n", Long.class))
			.one()
			.map((n) -> n > 0);
	}

	static Location readLocation(io.r2dbc.spi.Readable row) {
		return new Location(row.get("id", String.class), row.get("name", String.class),
				row.get("institution_id", String.class), row.get("subregion", String.class),
				row.get("latitude", Double.class), row.get("longitude", Double.class));
	}

	private static GenericExecuteSpec bindUser(GenericExecuteSpec spec, CurrentUser user, OffsetDateTime at) {
		spec = spec.bind("id", user.userId()).bind("name", user.name()).bind("at", at);
		spec = bind(spec, "discipline", (user.discipline() != null) ? user.discipline().name() : null);
		spec = bind(spec, "institution", user.institutionId());
		return bind(spec, "practice", user.practiceId());
	}

	private static GenericExecuteSpec bind(GenericExecuteSpec spec, String name, @Nullable String value) {
		return (value != null) ? spec.bind(name, value) : spec.bindNull(name, String.class);
	}

	private static Practitioner read(io.r2dbc.spi.Readable row) {
		String discipline = row.get("discipline", String.class);
		return new Practitioner(row.get("user_id", String.class), row.get("name", String.class),
				(discipline != null) ? Discipline.valueOf(discipline) : null, row.get("institution_id", String.class));
	}

	private record Seen(CurrentUser user, Instant at) {
	}

	/**
	 * A practitioner as the directory knows them.
	 *
	 * @param userId their user id
	 * @param name display name
	 * @param discipline profession
	 * @param institutionId institution
	 */
	public record Practitioner(String userId, String name, @Nullable Discipline discipline,
			@Nullable String institutionId) {
	}

	/**
	 * An institution's routing settings.
	 *
	 * @param fallbackPhone the number to call when nobody answered
	 * @param fallbackInstructions what else to do then
	 * @param steppedCare whether an SO consult rings a VS or PA first
	 */
	public record InstitutionRouting(@Nullable String fallbackPhone, @Nullable String fallbackInstructions,
			boolean steppedCare) {
	}

}
